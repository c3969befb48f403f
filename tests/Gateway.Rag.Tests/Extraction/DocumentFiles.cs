using System.Text;
using Gateway.Rag.Chunking;
using Gateway.Rag.Chunking.Internal;
using Gateway.Rag.Extraction;

namespace Gateway.Rag.Tests.Extraction;

/// <summary>A temporary folder the tests write their documents into, read back through <see cref="DocumentExtraction"/> as files.</summary>
public sealed class DocumentFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-rag-extraction-").FullName;

    internal DocumentExtraction Extraction { get; init; } = new(maxBytes: 10_000_000);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal Task<ExtractedDocument> ExtractAsync(string fileName, string content) => ExtractAsync(fileName, Encoding.UTF8.GetBytes(content));

    internal async Task<ExtractedDocument> ExtractAsync(string fileName, byte[] content)
    {
        var path = Path.Combine(_folder, fileName);
        await File.WriteAllBytesAsync(path, content);
        await using var file = File.OpenRead(path);
        return await Extraction.ExtractAsync(file, fileName);
    }

    /// <summary>The document's chunks by the approximate tokenizer, each checked to be exactly its offsets' text.</summary>
    internal static IReadOnlyList<TextChunk> Chunks(ExtractedDocument document, int chunkTokens = 64, int overlapTokens = 8)
    {
        var chunks = TextChunker.Split(document, ApproximateTokenizer.Instance, chunkTokens, overlapTokens);
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk => Assert.Equal(document.Text[chunk.Citation.Start..chunk.Citation.End], chunk.Text));
        return chunks;
    }

    /// <summary>The text of each section of the document, checked to lie within the text, in order.</summary>
    internal static IReadOnlyList<string> SectionTexts(ExtractedDocument document)
    {
        for (var i = 1; i < document.Sections.Count; i++)
        {
            Assert.True(document.Sections[i].Start >= document.Sections[i - 1].End, "sections overlap");
        }

        return [.. document.Sections.Select(section => document.Text[section.Start..section.End])];
    }
}
