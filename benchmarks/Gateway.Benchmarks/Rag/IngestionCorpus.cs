using System.Text;
using Gateway.Benchmarks.Onnx;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// The files the ingestion benchmarks read, written once under <c>$TMPDIR/gateway-bench/</c>: six Markdown
/// documents of 130 English sentences each (about 30 tokens a sentence, <see cref="EmbeddingBench.Sentences"/>)
/// under a heading every ten sentences, about 24 chunks of 200 tokens each; and a 500-page PDF
/// (<see cref="PdfExtractionBenchmarks.Generate"/>, 20 lines a page, about 1,200 characters).
/// </summary>
internal static class IngestionCorpus
{
    public const int PdfPages = 500;
    private const int FileCount = 6;
    private const int SentencesPerFile = 130;
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "gateway-bench", "ingestion-corpus-v1");

    /// <summary>The Markdown files, in name order.</summary>
    public static IReadOnlyList<string> Files { get; } = WriteFiles();

    /// <summary>The 500-page PDF.</summary>
    public static string Pdf => WritePdf();

    /// <summary>The chunks one pass over <see cref="Files"/> made (set by the setup, for the log).</summary>
    public static int ChunkCount { get; set; }

    private static string[] WriteFiles()
    {
        Directory.CreateDirectory(Folder);
        var sentences = EmbeddingBench.Sentences(FileCount * SentencesPerFile);
        var files = new string[FileCount];
        for (var f = 0; f < FileCount; f++)
        {
            files[f] = Path.Combine(Folder, $"report-{f + 1:D2}.md");
            if (File.Exists(files[f]))
            {
                continue;
            }

            var text = new StringBuilder($"# Report {f + 1}\n");
            for (var s = 0; s < SentencesPerFile; s++)
            {
                if (s % 10 == 0)
                {
                    text.Append($"\n## Part {(s / 10) + 1}\n\n");
                }

                text.Append(sentences[(f * SentencesPerFile) + s]).Append(s % 5 == 4 ? "\n\n" : " ");
            }

            File.WriteAllText(files[f] + ".partial", text.ToString());
            File.Move(files[f] + ".partial", files[f], overwrite: true);
        }

        return files;
    }

    private static string WritePdf()
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"book-{PdfPages}-pages.pdf");
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path + ".partial", PdfExtractionBenchmarks.Generate(PdfPages, linesPerPage: 20));
            File.Move(path + ".partial", path, overwrite: true);
        }

        return path;
    }
}
