using System.Globalization;
using System.Text.Json;
using Gateway.Core.Storage.Rag;

namespace Gateway.Rag.VectorData;

/// <summary>Converts between the store's <see cref="RagChunk"/> and the abstraction's <see cref="RagChunkRecord"/>.</summary>
internal static class ChunkRecordMapping
{
    public static RagChunkRecord ToRecord(RagChunk chunk, string? documentName) => new()
    {
        Key = chunk.Id,
        DocumentId = chunk.DocumentId,
        DocumentName = documentName,
        Ordinal = chunk.Ordinal,
        Text = chunk.Text,
        Start = chunk.Citation.Start,
        End = chunk.Citation.End,
        HeadingPath = chunk.Citation.HeadingPath,
        Page = chunk.Citation.Page,
        Metadata = (Dictionary<string, object?>?)ToClr(chunk.Metadata) ?? [],
        Vector = chunk.Vector ?? ReadOnlyMemory<float>.Empty,
    };

    public static RagChunkUpsert ToUpsert(RagChunkRecord record, string documentId) => new(
        record.Key,
        documentId,
        record.Ordinal,
        record.Text ?? "",
        new ChunkCitation(record.Start, record.End, record.HeadingPath, record.Page),
        record.Vector,
        record.Metadata is null ? null : JsonSerializer.SerializeToElement(record.Metadata));

    /// <summary>A JSON value as plain CLR values: strings, <see cref="long"/> or <see cref="double"/>, booleans, null, <c>object?[]</c>, dictionaries.</summary>
    public static object? ToClr(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(ToClr).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? (object)integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"Unexpected JSON value kind {element.ValueKind}.")),
    };
}
