using System.Text.Json;
using Gateway.Rag.Extraction.Internal;

namespace Gateway.Rag.Extraction;

/// <summary>
/// JSON Lines: every non-blank line is one JSON value, the record <c>$[i]</c> (i counting the values from 0),
/// flattened by <see cref="JsonFlattener"/>. A line that does not parse is <c>document_corrupt</c> naming the line.
/// </summary>
internal sealed class JsonLinesExtractor : IDocumentExtractor
{
    public IReadOnlyList<string> Extensions { get; } = [".jsonl", ".ndjson"];

    public ExtractedDocument Extract(ReadOnlyMemory<byte> content, string fileName, CancellationToken cancellationToken)
    {
        var lines = Utf8Text.Decode(content, fileName).Split('\n');
        var text = new ExtractedTextBuilder();
        var record = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(lines[i], JsonExtractor.ParseOptions);
                JsonFlattener.Record(document.RootElement, $"$[{record++}]", text, cancellationToken);
            }
            catch (JsonException e)
            {
                throw DocumentExtractionErrors.Corrupt(fileName, $"line {i + 1} is not valid JSON (byte {e.BytePositionInLine + 1}).");
            }
        }

        return text.Build();
    }
}
