using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Storage.Conversations;

namespace Gateway.AspNetCore.Chat;

/// <summary>The body of <c>POST /api/chat</c> and <c>/api/chat/stream</c>.</summary>
internal sealed class ChatRequestBody
{
    public string? ModelKey { get; set; }

    public List<ChatMessageBody>? Messages { get; set; }

    public ChatOptionsBody? Options { get; set; }

    public string? ConversationId { get; set; }

    public string? ParentId { get; set; }

    public bool? Persist { get; set; }

    public string? ProfileId { get; set; }

    public string? SpaceId { get; set; }

    public List<ChatToolBody>? Tools { get; set; }

    /// <summary><c>"auto"</c>, <c>"none"</c>, <c>"required"</c> or <c>{"name": "&lt;tool&gt;"}</c>.</summary>
    public JsonElement? ToolChoice { get; set; }

    /// <summary>
    /// Retrieval from the user's documents: <c>false</c> (none), <c>true</c> (the space's collections) or
    /// <c>{"collectionIds"?, "k"?, "filter"?, "minScore"?}</c>; left out, a turn in a space with collections retrieves from them.
    /// </summary>
    public JsonElement? Rag { get; set; }
}

/// <summary>A function the model may call: its name, what it does and a JSON schema of its arguments.</summary>
internal sealed class ChatToolBody
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Parameters { get; set; }
}

/// <summary>One tool call of an assistant message: its id, the function and the arguments (a JSON object).</summary>
internal sealed class ChatToolCallBody
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement? Arguments { get; set; }
}

/// <summary>One message as the chat API sends and returns it.</summary>
internal sealed class ChatMessageBody
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    /// <summary>The calls of an assistant message that calls tools.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ChatToolCallBody>? ToolCalls { get; set; }

    /// <summary>The call a <c>tool</c> message answers; its <see cref="Content"/> is the result.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ToolCallId { get; set; }

    /// <summary>Images the message shows the model: <c>data:</c> URLs with base64 data, or https URLs for upstreams that fetch them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Images { get; set; }
}

/// <summary>Sampling parameters of a chat request.</summary>
internal sealed class ChatOptionsBody
{
    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? MaxTokens { get; set; }

    public int? TopK { get; set; }

    public long? Seed { get; set; }

    [JsonConverter(typeof(StringOrArrayJsonConverter))]
    public List<string>? Stop { get; set; }

    public float? PresencePenalty { get; set; }

    public float? FrequencyPenalty { get; set; }

    public ChatResponseFormatBody? ResponseFormat { get; set; }
}

/// <summary>
/// The form of the answer: <c>text</c>, or <c>json</c> (JSON mode; with a <c>schema</c>, structured output
/// that follows it, <c>strict</c> when the upstream should hold to it exactly).
/// </summary>
internal sealed class ChatResponseFormatBody
{
    public string? Type { get; set; }

    public JsonElement? Schema { get; set; }

    public string? SchemaName { get; set; }

    public string? SchemaDescription { get; set; }

    public bool? Strict { get; set; }
}

/// <summary>The answer of <c>POST /api/chat</c>.</summary>
internal sealed record ChatResponseBody(
    string? ConversationId,
    string? MessageId,
    string? ProfileId,
    string ModelKey,
    string Model,
    ChatMessageBody Message,
    ChatUsageBody Usage,
    string? FinishReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MessageCitation>? Citations);

/// <summary>Token counts of a chat turn, as the upstream reported them.</summary>
internal sealed record ChatUsageBody(long? InputTokens, long? OutputTokens);

/// <summary>The data of the final <c>done</c> event of <c>/api/chat/stream</c>.</summary>
internal sealed record ChatStreamDoneBody(
    string? ConversationId,
    string? MessageId,
    string? ProfileId,
    string ModelKey,
    string Model,
    ChatUsageBody Usage,
    string? FinishReason);

/// <summary>The data of the <c>citations</c> event of <c>/api/chat/stream</c>, sent before the first delta of a turn that retrieved.</summary>
internal sealed record ChatStreamCitationsBody(IReadOnlyList<MessageCitation> Citations);
