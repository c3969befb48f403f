using System.Text.Json;
using Gateway.Rag.Extraction.Internal;

namespace Gateway.Rag.Extraction;

/// <summary>
/// A JSON file, flattened to <c>path: value</c> lines by <see cref="JsonFlattener"/>: the root is the record
/// <c>$</c>, every object or array inside an array a record of its own (<c>$.items[3]</c>). JSON that does not
/// parse is <c>document_corrupt</c> with where it breaks.
/// </summary>
internal sealed class JsonExtractor : IDocumentExtractor
{
    internal static readonly JsonDocumentOptions ParseOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    public IReadOnlyList<string> Extensions { get; } = [".json"];

    public ExtractedDocument Extract(ReadOnlyMemory<byte> content, string fileName, CancellationToken cancellationToken)
    {
        var json = Utf8Text.Decode(content, fileName);
        var text = new ExtractedTextBuilder();
        try
        {
            using var document = JsonDocument.Parse(json, ParseOptions);
            JsonFlattener.Record(document.RootElement, "$", text, cancellationToken);
        }
        catch (JsonException e)
        {
            throw DocumentExtractionErrors.Corrupt(fileName, $"it is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        return text.Build();
    }
}
