using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Storage.Rag;

namespace Gateway.Storage.Postgres.Rag.Internal;

/// <summary>
/// Derives a chunk's <c>metadata_dates</c>: its metadata with every string that <see cref="FilterValue.TryParseDate"/>
/// reads as a date replaced by that instant in UTC ticks, and everything else left out. Objects keep their
/// keys, so a path resolves to the same place in both; an array keeps only its own date strings (the
/// evaluator looks one level into an array and never through one). Computed with the evaluator's own
/// date reader, so a date range in SQL matches exactly the chunks the evaluator matches.
/// </summary>
internal static class MetadataDates
{
    /// <summary>The JSON text for the column, or <see langword="null"/> when the metadata holds no date.</summary>
    public static string? Of(JsonElement metadata) => Object(metadata)?.ToJsonString();

    private static JsonObject? Object(JsonElement element)
    {
        JsonObject? result = null;
        foreach (var property in element.EnumerateObject())
        {
            if (Value(property.Value) is { } value)
            {
                (result ??= [])[property.Name] = value;
            }
        }

        return result;
    }

    private static JsonNode? Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Ticks(element) is { } ticks ? JsonValue.Create(ticks) : null,
        JsonValueKind.Object => Object(element),
        JsonValueKind.Array => Array(element),
        _ => null,
    };

    private static JsonArray? Array(JsonElement element)
    {
        JsonArray? result = null;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && Ticks(item) is { } ticks)
            {
                (result ??= []).Add(ticks);
            }
        }

        return result;
    }

    private static long? Ticks(JsonElement element) =>
        FilterValue.TryParseDate(element.GetString(), out var date) ? date.UtcTicks : null;
}
