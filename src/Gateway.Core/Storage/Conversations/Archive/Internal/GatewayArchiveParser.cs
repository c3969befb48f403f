using System.Text.Json;
using Gateway.Core.Storage.Rag;

namespace Gateway.Core.Storage.Conversations.Archive.Internal;

/// <summary>Turns one element of a gateway export's <c>conversations</c> array into an <see cref="ArchivedConversation"/>, validating it.</summary>
internal static class GatewayArchiveParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = ArchiveElements.MaxDepth };

    public static ArchivedConversation Parse(ReadOnlyMemory<byte> json, string path)
    {
        using var document = ParseDocument(json, path);
        return Parse(document.RootElement, path);
    }

    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> json, string path)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException exception)
        {
            // The cursor has checked the syntax already; what is left is a nesting deeper than we accept.
            throw ArchiveErrors.Invalid(path, ArchiveErrors.SyntaxProblem(exception), innerException: exception);
        }
    }

    /// <summary><c>{}</c>, for conversations without metadata; a cloned element is immutable and safe to share.</summary>
    public static JsonElement EmptyObject { get; } = CreateEmptyObject();

    private static JsonElement CreateEmptyObject()
    {
        using var document = JsonDocument.Parse("{}"u8.ToArray());
        return document.RootElement.Clone();
    }

    private static ArchivedConversation Parse(JsonElement element, string path)
    {
        ArchiveElements.RequireKind(element, JsonValueKind.Object, path);
        var id = ArchiveElements.RequireId(element, "id", path);
        var title = ArchiveElements.OptionalString(element, "title", path);
        var spaceId = ArchiveElements.OptionalString(element, "spaceId", path);
        var metadata = ArchiveElements.Optional(element, "metadata", path, JsonValueKind.Object)?.Clone() ?? EmptyObject;
        var createdAt = ArchiveElements.RequireTimestamp(element, "createdAt", path);
        var updatedAt = ArchiveElements.RequireTimestamp(element, "updatedAt", path);
        var archived = ArchiveElements.OptionalBoolean(element, "archived", path) ?? false;
        var activeMessageId = ArchiveElements.OptionalId(element, "activeMessageId", path);
        var contentHash = ArchiveElements.OptionalString(element, "contentHash", path);
        var messagesPath = ArchivePath.Property(path, "messages");
        var messageArray = ArchiveElements.Required(element, "messages", path, JsonValueKind.Array);

        var messages = new List<ConversationMessage>(messageArray.GetArrayLength());
        var seen = new Dictionary<string, ConversationMessage>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in messageArray.EnumerateArray())
        {
            var message = ParseMessage(item, ArchivePath.Index(messagesPath, index++), id, seen);
            messages.Add(message);
            seen.Add(message.Id, message);
        }

        if (activeMessageId is not null && !seen.ContainsKey(activeMessageId))
        {
            throw ArchiveErrors.Invalid(ArchivePath.Property(path, "activeMessageId"), $"'{activeMessageId}' is not a message of this conversation.");
        }

        var conversation = new Conversation(id, title, spaceId, metadata, createdAt, updatedAt, archived, messages.Count, activeMessageId);
        return new ArchivedConversation(conversation, messages, contentHash);
    }

    private static ConversationMessage ParseMessage(JsonElement item, string path, string conversationId, Dictionary<string, ConversationMessage> seen)
    {
        ArchiveElements.RequireKind(item, JsonValueKind.Object, path);
        var id = ArchiveElements.RequireId(item, "id", path);
        var parentId = ArchiveElements.OptionalId(item, "parentId", path);
        if (parentId is not null && !seen.ContainsKey(parentId))
        {
            throw ArchiveErrors.Invalid(
                ArchivePath.Property(path, "parentId"),
                $"'{parentId}' is not an earlier message of this conversation; a parent must come before its children.");
        }

        if (seen.ContainsKey(id))
        {
            throw ArchiveErrors.Invalid(ArchivePath.Property(path, "id"), $"the message id '{id}' appears twice in this conversation.");
        }

        var role = ArchiveElements.RequireString(item, "role", path);
        if (!MessageRoles.IsKnown(role))
        {
            throw ArchiveErrors.Invalid(ArchivePath.Property(path, "role"), $"'{ArchiveElements.Truncate(role)}' is not a role; expected {MessageRoles.List}.");
        }

        var content = ArchiveElements.RequireString(item, "content", path);
        var modelKey = ArchiveElements.OptionalString(item, "modelKey", path);
        var inputTokens = ArchiveElements.OptionalCount(item, "inputTokens", path);
        var outputTokens = ArchiveElements.OptionalCount(item, "outputTokens", path);
        var statusText = ArchiveElements.RequireString(item, "status", path);
        var status = MessageStatuses.TryParse(statusText)
            ?? throw ArchiveErrors.Invalid(ArchivePath.Property(path, "status"), $"'{ArchiveElements.Truncate(statusText)}' is not a status; expected {MessageStatuses.List}.");
        var createdAt = ArchiveElements.RequireTimestamp(item, "createdAt", path);
        var toolCalls = ParseToolCalls(item, path);
        var toolCallId = ArchiveElements.OptionalString(item, "toolCallId", path);
        var toolName = ArchiveElements.OptionalString(item, "toolName", path);
        if (role == "tool" && toolCallId is null && CallsAnswered(parentId, seen) is { } caller)
        {
            throw ArchiveErrors.Invalid(
                ArchivePath.Property(path, "toolCallId"),
                $"is required: this tool message follows the tool calls of message '{caller.Id}' and names the call it answers (one of {string.Join(", ", caller.ToolCalls!.Select(c => $"'{ArchiveElements.Truncate(c.Id)}'"))}).");
        }

        return new ConversationMessage(
            id, conversationId, parentId, role, content, modelKey, inputTokens, outputTokens, status, createdAt, toolCalls, toolCallId, toolName,
            ParseCitations(item, path));
    }

    /// <summary>
    /// <c>citations</c>: absent, <c>null</c> or an array of <c>{"index", "chunkId", "documentId", "documentName", "collectionId",
    /// "citation": {"start", "end", "headingPath"?, "page"?, "jsonPath"?}}</c>. What the numbers may be is the store's rule.
    /// </summary>
    private static List<MessageCitation>? ParseCitations(JsonElement item, string path)
    {
        if (ArchiveElements.Optional(item, "citations", path, JsonValueKind.Array) is not { } array)
        {
            return null;
        }

        var citations = new List<MessageCitation>(array.GetArrayLength());
        var citationsPath = ArchivePath.Property(path, "citations");
        foreach (var entry in array.EnumerateArray())
        {
            var at = ArchivePath.Index(citationsPath, citations.Count);
            ArchiveElements.RequireKind(entry, JsonValueKind.Object, at);
            var span = ArchiveElements.Required(entry, "citation", at, JsonValueKind.Object);
            var spanPath = ArchivePath.Property(at, "citation");
            citations.Add(new MessageCitation(
                RequireWholeNumber(entry, "index", at),
                ArchiveElements.RequireString(entry, "chunkId", at),
                ArchiveElements.RequireString(entry, "documentId", at),
                ArchiveElements.RequireString(entry, "documentName", at),
                ArchiveElements.RequireString(entry, "collectionId", at),
                new ChunkCitation(
                    RequireWholeNumber(span, "start", spanPath),
                    RequireWholeNumber(span, "end", spanPath),
                    ArchiveElements.OptionalString(span, "headingPath", spanPath),
                    OptionalWholeNumber(span, "page", spanPath),
                    ArchiveElements.OptionalString(span, "jsonPath", spanPath))));
        }

        return citations.Count == 0 ? null : citations;
    }

    private static int RequireWholeNumber(JsonElement owner, string name, string path) =>
        OptionalWholeNumber(owner, name, path) ?? throw ArchiveErrors.Invalid(ArchivePath.Property(path, name), "is required (a non-negative integer).");

    private static int? OptionalWholeNumber(JsonElement owner, string name, string path) =>
        ArchiveElements.OptionalCount(owner, name, path) switch
        {
            null => null,
            <= int.MaxValue and var number => (int)number,
            var number => throw ArchiveErrors.Invalid(ArchivePath.Property(path, name), $"{number} is too large."),
        };

    /// <summary>
    /// <c>toolCalls</c>: absent, <c>null</c> or an array of <c>{"id", "name", "arguments"}</c>, the arguments a JSON
    /// object (version 4) or a string holding its text (versions 2 and 3 wrote them so, as OpenAI sends them); either
    /// is kept as that text. What the ids, names and arguments may be is the store's rule.
    /// </summary>
    private static List<StoredToolCall>? ParseToolCalls(JsonElement item, string path)
    {
        if (ArchiveElements.Optional(item, "toolCalls", path, JsonValueKind.Array) is not { } array)
        {
            return null;
        }

        var calls = new List<StoredToolCall>(array.GetArrayLength());
        var callsPath = ArchivePath.Property(path, "toolCalls");
        foreach (var call in array.EnumerateArray())
        {
            var callPath = ArchivePath.Index(callsPath, calls.Count);
            ArchiveElements.RequireKind(call, JsonValueKind.Object, callPath);
            calls.Add(new StoredToolCall(
                ArchiveElements.RequireString(call, "id", callPath),
                ArchiveElements.RequireString(call, "name", callPath),
                Arguments(call, callPath)));
        }

        return calls.Count == 0 ? null : calls;
    }

    private static string Arguments(JsonElement call, string callPath)
    {
        var path = ArchivePath.Property(callPath, "arguments");
        return ArchiveElements.Optional(call, "arguments") switch
        {
            { ValueKind: JsonValueKind.Object } arguments => arguments.GetRawText(),
            { ValueKind: JsonValueKind.String } text => ArchiveElements.Text(text, path),
            { } other => throw ArchiveErrors.Invalid(path, $"expected an object (or its text as a string), found {ArchiveErrors.Describe(other.ValueKind)}."),
            null => throw ArchiveErrors.Invalid(path, "is required (an object)."),
        };
    }

    /// <summary>
    /// The assistant message whose tool calls a tool message below <paramref name="parentId"/> answers: the
    /// nearest ancestor that is not a tool result, when it called tools; otherwise <see langword="null"/>
    /// (tool text from before tool calls were stored, or from another product, answers no call).
    /// </summary>
    private static ConversationMessage? CallsAnswered(string? parentId, Dictionary<string, ConversationMessage> seen)
    {
        var ancestor = parentId is null ? null : seen[parentId];
        while (ancestor is { Role: "tool", ParentId: { } next })
        {
            ancestor = seen[next];
        }

        return ancestor is { Role: "assistant", ToolCalls.Count: > 0 } ? ancestor : null;
    }
}
