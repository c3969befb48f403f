using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gateway.Rag.Extraction;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.DocumentLayoutAnalysis.WordExtractor;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// PDF text extraction per page, over a generated document of <see cref="PageCount"/> A4 pages (every other one
/// set in two columns), 45 lines of 10–11 pt Helvetica each, about 3,000 characters a page. Times are per
/// page (pages/s = 1 / Mean). Baseline: PdfPig's <c>page.Text</c>, which runs words together; then its
/// nearest-neighbour words alone; then what ingestion runs, <see cref="PdfExtractor"/>: words, Docstrum blocks,
/// unsupervised reading order and the extracted text with its page sections.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class PdfExtractionBenchmarks
{
    private const int PageCount = 50;
    private const int LinesPerPage = 45;

    private static readonly string[] Words =
        ["harbour", "river", "the", "of", "committee", "decision", "railway", "line", "and", "review", "markets", "quarter", "lighthouse", "ferry", "cape", "strait"];

    private readonly PdfExtractor _extractor = new();
    private byte[] _pdf = [];

    [GlobalSetup]
    public void Setup() => _pdf = Generate(PageCount, LinesPerPage);

    [Benchmark(Baseline = true, OperationsPerInvoke = PageCount)]
    public int PageText()
    {
        using var document = PdfDocument.Open(_pdf);
        var characters = 0;
        foreach (var page in document.GetPages())
        {
            characters += page.Text.Length;
        }

        return characters;
    }

    [Benchmark(OperationsPerInvoke = PageCount)]
    public int NearestNeighbourWords()
    {
        using var document = PdfDocument.Open(_pdf);
        var words = 0;
        foreach (var page in document.GetPages())
        {
            words += page.GetWords(NearestNeighbourWordExtractor.Instance).Count();
        }

        return words;
    }

    [Benchmark(OperationsPerInvoke = PageCount)]
    public int LayoutAwareExtraction() => _extractor.Extract(_pdf, "bench.pdf", CancellationToken.None).Text.Length;

    /// <summary>A PDF of <paramref name="pages"/> A4 pages of <paramref name="linesPerPage"/> lines each, every other page in two columns, from a fixed seed.</summary>
    internal static byte[] Generate(int pages, int linesPerPage)
    {
        var random = new Random(14);
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var p = 0; p < pages; p++)
        {
            var page = builder.AddPage(595, 842);
            var columns = p % 2 == 0 ? 1 : 2;
            for (var line = 0; line < linesPerPage; line++)
            {
                for (var column = 0; column < columns; column++)
                {
                    var text = string.Join(' ', Enumerable.Range(0, columns == 1 ? 12 : 6).Select(_ => Words[random.Next(Words.Length)]));
                    page.AddText(text, columns == 1 ? 11 : 10, new PdfPoint(50 + (column * 270), 800 - (line * 16)), font);
                }
            }
        }

        return builder.Build();
    }

    /// <summary>In the benchmark's own process (nothing to build on the shared machine), 2 warm-up and 8 measured iterations.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() =>
            AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(8).WithLaunchCount(1).WithToolchain(InProcessEmitToolchain.Instance));
    }
}
