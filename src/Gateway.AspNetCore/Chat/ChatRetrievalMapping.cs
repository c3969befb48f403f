using System.Text.Json;
using Gateway.Core.Chat.Retrieval;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Rag;

namespace Gateway.AspNetCore.Chat;

/// <summary>Reads the <c>rag</c> member of a chat request: <c>false</c>, <c>true</c> or <c>{"collectionIds"?, "k"?, "filter"?, "minScore"?}</c>.</summary>
internal static class ChatRetrievalMapping
{
    /// <summary>The turn's retrieval request; <see langword="null"/> when the member is absent or <c>null</c> (retrieval from the space, if any).</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the <c>rag.*</c> member, or <see cref="GatewayErrorCodes.InvalidFilter"/> with the path of the bad clause.</exception>
    public static ChatRetrievalRequest? ToRequest(JsonElement? rag)
    {
        if (rag is not { } element)
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.False => ChatRetrievalRequest.Off,
            JsonValueKind.True => new ChatRetrievalRequest(),
            JsonValueKind.Object => new ChatRetrievalRequest(
                CollectionIds: CollectionIds(element),
                K: Member(element, "k") is { } k ? WholeNumber(k, "rag.k") : null,
                Filter: MetadataFilterParser.Parse(Member(element, "filter"), "rag.filter"),
                MinScore: Member(element, "minScore") is { } minScore ? Number(minScore, "rag.minScore") : null),
            _ => throw GatewayException.InvalidField("rag", "expected true, false or an object {\"collectionIds\"?, \"k\"?, \"filter\"?, \"minScore\"?}."),
        };
    }

    private static List<string>? CollectionIds(JsonElement rag)
    {
        if (Member(rag, "collectionIds") is not { } ids)
        {
            return null;
        }

        if (ids.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.InvalidField("rag.collectionIds", "expected an array of collection ids.");
        }

        var result = new List<string>(ids.GetArrayLength());
        foreach (var id in ids.EnumerateArray())
        {
            result.Add(id.ValueKind == JsonValueKind.String
                ? id.GetString()!
                : throw GatewayException.InvalidField($"rag.collectionIds[{result.Count}]", "expected a collection id (a string)."));
        }

        return result;
    }

    /// <summary>The member, or <see langword="null"/> when it is absent or <c>null</c> (camelCase, as every member of the API).</summary>
    private static JsonElement? Member(JsonElement rag, string name) =>
        rag.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static int WholeNumber(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw GatewayException.InvalidField(field, $"expected a whole number from 1 to {RagRules.MaxK}.");

    private static double Number(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            ? number
            : throw GatewayException.InvalidField(field, "expected a number.");
}
