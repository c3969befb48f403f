using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;

namespace Gateway.Storage.Relational;

/// <summary>
/// How an assistant message's citations are stored in <c>messages.citations</c> (text on SQLite, jsonb on
/// PostgreSQL): a JSON array of <c>{"index", "chunkId", "documentId", "documentName", "collectionId",
/// "citation": {"start", "end", "headingPath", "page", "jsonPath"}}</c>, the shape the API shows; <c>NULL</c> when there
/// are none. The conversation archive writes the same array (Core compiles this file too).
/// </summary>
internal static class CitationsColumn
{
    /// <summary>The column value for <paramref name="citations"/>: their JSON text, or <see cref="DBNull"/> when there are none.</summary>
    public static object ToColumn(IReadOnlyList<MessageCitation>? citations) => Format(citations) is { } text ? text : DBNull.Value;

    /// <summary>The JSON text of <paramref name="citations"/>, or <see langword="null"/> when there are none.</summary>
    public static string? Format(IReadOnlyList<MessageCitation>? citations)
    {
        if (citations is not { Count: > 0 })
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, citations);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes <paramref name="citations"/> as the array the column holds.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<MessageCitation> citations)
    {
        writer.WriteStartArray();
        foreach (var citation in citations)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", citation.Index);
            writer.WriteString("chunkId", citation.ChunkId);
            writer.WriteString("documentId", citation.DocumentId);
            writer.WriteString("documentName", citation.DocumentName);
            writer.WriteString("collectionId", citation.CollectionId);
            writer.WriteStartObject("citation");
            writer.WriteNumber("start", citation.Citation.Start);
            writer.WriteNumber("end", citation.Citation.End);
            writer.WriteString("headingPath", citation.Citation.HeadingPath);
            if (citation.Citation.Page is { } page)
            {
                writer.WriteNumber("page", page);
            }
            else
            {
                writer.WriteNull("page");
            }

            writer.WriteString("jsonPath", citation.Citation.JsonPath);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The citations of a stored column value; <see langword="null"/> for <c>NULL</c> or an empty array.</summary>
    public static IReadOnlyList<MessageCitation>? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        var citations = new List<MessageCitation>(document.RootElement.GetArrayLength());
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var span = item.GetProperty("citation");
            citations.Add(new MessageCitation(
                item.GetProperty("index").GetInt32(),
                item.GetProperty("chunkId").GetString()!,
                item.GetProperty("documentId").GetString()!,
                item.GetProperty("documentName").GetString()!,
                item.GetProperty("collectionId").GetString()!,
                new ChunkCitation(
                    span.GetProperty("start").GetInt32(),
                    span.GetProperty("end").GetInt32(),
                    span.TryGetProperty("headingPath", out var headings) && headings.ValueKind == JsonValueKind.String ? headings.GetString() : null,
                    span.TryGetProperty("page", out var page) && page.ValueKind == JsonValueKind.Number ? page.GetInt32() : null,
                    span.TryGetProperty("jsonPath", out var jsonPath) && jsonPath.ValueKind == JsonValueKind.String ? jsonPath.GetString() : null)));
        }

        return citations.Count == 0 ? null : citations;
    }
}
