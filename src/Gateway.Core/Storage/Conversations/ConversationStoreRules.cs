using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// The rules and errors every conversation store applies the same way, whatever its engine: what a
/// message and a page request may be, how statuses and metadata are stored as text, and the
/// not-found errors. For store implementations and the layers that speak for them.
/// </summary>
public static class ConversationStoreRules
{
    /// <summary>The roles a stored message may have.</summary>
    public static IReadOnlyList<string> Roles { get; } = ["system", "user", "assistant", "tool"];

    /// <summary>Checks a message to append.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad field under <paramref name="field"/>.</exception>
    public static void ValidateMessage(NewMessage message, string field = "message")
    {
        ArgumentNullException.ThrowIfNull(message);
        ValidateMessageFields(message.Role, message.Content, message.InputTokens, message.OutputTokens, message.Status, field);
        ValidateToolFields(message.Role, message.ToolCalls, message.ToolCallId, message.ToolName, field);
        ValidateCitations(message.Role, message.Citations, field);
    }

    /// <summary>Checks the fields of a message to store (appended or imported).</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad field under <paramref name="field"/>.</exception>
    public static void ValidateMessageFields(string? role, string? content, long? inputTokens, long? outputTokens, MessageStatus status, string field)
    {
        if (role is null || !Roles.Contains(role))
        {
            throw GatewayException.InvalidField($"{field}.role", $"expected one of {string.Join(", ", Roles)}, got '{role}'.");
        }

        if (content is null)
        {
            throw GatewayException.InvalidField($"{field}.content", "expected the message text (it may be empty).");
        }

        if (inputTokens < 0 || outputTokens < 0)
        {
            throw GatewayException.InvalidField($"{field}.{(inputTokens < 0 ? "inputTokens" : "outputTokens")}", "expected a token count of 0 or more.");
        }

        if (!Enum.IsDefined(status))
        {
            throw GatewayException.InvalidField($"{field}.status", "expected complete, incomplete or error.");
        }
    }

    /// <summary>
    /// Checks the tool members of a message to store (appended or imported): only an <c>assistant</c>
    /// message carries tool calls, each with an id (unique in the message), a name and arguments that are
    /// a JSON object; only a <c>tool</c> message names the call it answers and the function that ran. A
    /// <c>tool</c> message without a call id is allowed: tool text from before tool calls were stored, or
    /// from another product's export.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad field under <paramref name="field"/>.</exception>
    public static void ValidateToolFields(string? role, IReadOnlyList<StoredToolCall>? toolCalls, string? toolCallId, string? toolName, string field)
    {
        if (toolCalls is { Count: > 0 })
        {
            if (role != "assistant")
            {
                throw GatewayException.InvalidField($"{field}.toolCalls", $"only an assistant message asks for tool calls, not a '{role}' message.");
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < toolCalls.Count; i++)
            {
                var call = toolCalls[i];
                var path = $"{field}.toolCalls[{i}]";
                if (call is null)
                {
                    throw GatewayException.InvalidField(path, "expected a tool call with an id, a name and arguments.");
                }

                if (string.IsNullOrEmpty(call.Id))
                {
                    throw GatewayException.InvalidField($"{path}.id", "expected the call id the model gave (a non-empty string).");
                }

                if (!ids.Add(call.Id))
                {
                    throw GatewayException.InvalidField($"{path}.id", $"the call id '{call.Id}' appears twice in this message.");
                }

                if (string.IsNullOrEmpty(call.Name))
                {
                    throw GatewayException.InvalidField($"{path}.name", "expected the name of the function called (a non-empty string).");
                }

                if (!IsJsonObject(call.Arguments))
                {
                    throw GatewayException.InvalidField($"{path}.arguments", "expected the arguments as the text of a JSON object, e.g. {\"city\":\"Paris\"}.");
                }
            }
        }

        if (toolCallId is not null && (role != "tool" || toolCallId.Length == 0))
        {
            throw GatewayException.InvalidField($"{field}.toolCallId", role == "tool"
                ? "expected the id of the tool call this result answers (a non-empty string)."
                : $"only a tool message answers a tool call, not a '{role}' message.");
        }

        if (toolName is not null && (role != "tool" || toolName.Length == 0))
        {
            throw GatewayException.InvalidField($"{field}.toolName", role == "tool"
                ? "expected the name of the function that ran (a non-empty string)."
                : $"only a tool message names the function that ran, not a '{role}' message.");
        }
    }

    /// <summary>
    /// Checks the citations of a message to store (appended or imported): only an <c>assistant</c> message
    /// has them; each has a positive index (unique in the message), a chunk, document and collection id, a
    /// document name, and a span with <c>0 &lt;= start &lt;= end</c> and a page of 1 or more when set.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad field under <paramref name="field"/>.</exception>
    public static void ValidateCitations(string? role, IReadOnlyList<MessageCitation>? citations, string field)
    {
        if (citations is not { Count: > 0 })
        {
            return;
        }

        if (role != "assistant")
        {
            throw GatewayException.InvalidField($"{field}.citations", $"only an assistant message cites sources, not a '{role}' message.");
        }

        var indexes = new HashSet<int>();
        for (var i = 0; i < citations.Count; i++)
        {
            var citation = citations[i];
            var path = $"{field}.citations[{i}]";
            if (citation?.Citation is null)
            {
                throw GatewayException.InvalidField(path, "expected a citation with an index, the chunk, document and collection ids, the document name and a span.");
            }

            if (citation.Index < 1 || !indexes.Add(citation.Index))
            {
                throw GatewayException.InvalidField($"{path}.index", citation.Index < 1
                    ? "expected the passage's number, 1 or more."
                    : $"the index {citation.Index} appears twice in this message.");
            }

            RequireText(citation.ChunkId, $"{path}.chunkId");
            RequireText(citation.DocumentId, $"{path}.documentId");
            RequireText(citation.DocumentName, $"{path}.documentName");
            RequireText(citation.CollectionId, $"{path}.collectionId");
            if (citation.Citation.Start < 0 || citation.Citation.End < citation.Citation.Start)
            {
                throw GatewayException.InvalidField($"{path}.citation", "expected 0 <= start <= end.");
            }

            if (citation.Citation.Page < 1)
            {
                throw GatewayException.InvalidField($"{path}.citation.page", "expected a page of 1 or more.");
            }
        }
    }

    /// <summary>Checks a page size.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> outside 1 to <see cref="StorePaging.MaxLimit"/>.</exception>
    public static void CheckLimit(int limit)
    {
        if (limit is < 1 or > StorePaging.MaxLimit)
        {
            throw GatewayException.InvalidField("limit", $"expected 1 to {StorePaging.MaxLimit}, got {limit}.");
        }
    }

    /// <summary>The text to store for <paramref name="metadata"/>: its JSON, or <c>{}</c> when absent.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> when it is not a JSON object.</exception>
    public static string MetadataText(JsonElement? metadata, string field = "metadata")
    {
        if (metadata is not { } value || value.ValueKind == JsonValueKind.Undefined)
        {
            return "{}";
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.InvalidField(field, $"expected a JSON object, got {value.ValueKind.ToString().ToLowerInvariant()}.");
        }

        return value.GetRawText();
    }

    /// <summary>Stored metadata text back as a JSON element that outlives its document.</summary>
    public static JsonElement ParseMetadata(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static void RequireText(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw GatewayException.InvalidField(field, "expected a non-empty string.");
        }
    }

    internal static bool IsJsonObject(string? text)
    {
        if (text is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>How a status is stored: <c>complete</c>, <c>incomplete</c> or <c>error</c>.</summary>
    public static string StatusText(MessageStatus status) => status switch
    {
        MessageStatus.Complete => "complete",
        MessageStatus.Incomplete => "incomplete",
        MessageStatus.Error => "error",
        _ => throw GatewayException.InvalidField("status", "expected complete, incomplete or error."),
    };

    /// <summary>A stored status back; anything unknown reads as complete.</summary>
    public static MessageStatus ParseStatus(string text) => text switch
    {
        "incomplete" => MessageStatus.Incomplete,
        "error" => MessageStatus.Error,
        _ => MessageStatus.Complete,
    };

    /// <summary>The 404 for a conversation id nothing is stored under.</summary>
    public static GatewayException ConversationNotFound(string conversationId) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.ConversationNotFound,
        $"No conversation has the id '{conversationId}'.",
        new Dictionary<string, object?> { ["conversationId"] = conversationId });

    /// <summary>The 404 for a message id the conversation does not hold; <paramref name="field"/> names where the id came from.</summary>
    public static GatewayException MessageNotFound(string conversationId, string messageId, string field) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.MessageNotFound,
        $"{field}: conversation '{conversationId}' has no message with the id '{messageId}'.",
        new Dictionary<string, object?> { ["conversationId"] = conversationId, ["messageId"] = messageId, ["field"] = field });
}
