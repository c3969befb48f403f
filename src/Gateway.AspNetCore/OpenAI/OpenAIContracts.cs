using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.AspNetCore.Internal;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// The body of <c>POST /v1/chat/completions</c>, as OpenAI's API defines it: the fields the gateway reads,
/// and every other member kept as it came (<see cref="OtherMembers"/>), for upstreams that forward them.
/// </summary>
internal sealed class OpenAIChatRequest
{
    public string? Model { get; set; }

    public List<OpenAIMessage>? Messages { get; set; }

    public bool? Stream { get; set; }

    public OpenAIStreamOptions? StreamOptions { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    [JsonConverter(typeof(StringOrArrayJsonConverter))]
    public List<string>? Stop { get; set; }

    public OpenAIResponseFormat? ResponseFormat { get; set; }

    public long? Seed { get; set; }

    public float? PresencePenalty { get; set; }

    public float? FrequencyPenalty { get; set; }

    /// <summary>Not OpenAI's own, but vLLM's, llama.cpp's and Ollama's.</summary>
    public int? TopK { get; set; }

    public bool? Logprobs { get; set; }

    public int? TopLogprobs { get; set; }

    public string? User { get; set; }

    public int? N { get; set; }

    public List<OpenAITool>? Tools { get; set; }

    /// <summary><c>"auto"</c>, <c>"none"</c>, <c>"required"</c> or <c>{"type":"function","function":{"name":…}}</c>.</summary>
    public JsonElement ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherMembers { get; set; }
}

/// <summary><c>response_format</c>: <c>text</c>, <c>json_object</c> or <c>json_schema</c>.</summary>
internal sealed class OpenAIResponseFormat
{
    public string? Type { get; set; }

    public OpenAIJsonSchema? JsonSchema { get; set; }
}

/// <summary><c>response_format.json_schema</c>.</summary>
internal sealed class OpenAIJsonSchema
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Schema { get; set; }

    public bool? Strict { get; set; }
}

/// <summary>One entry of <c>tools</c>: <c>{"type":"function","function":{…}}</c>.</summary>
internal sealed class OpenAITool
{
    public string? Type { get; set; }

    public OpenAIFunction? Function { get; set; }
}

/// <summary>A function the model may call: its name, what it does and a JSON Schema of its parameters.</summary>
internal sealed class OpenAIFunction
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement Parameters { get; set; }

    public bool? Strict { get; set; }
}

/// <summary>One call of an assistant message's <c>tool_calls</c>, in a request or a completion.</summary>
internal sealed class OpenAIToolCall
{
    public string? Id { get; set; }

    public string? Type { get; set; }

    public OpenAIToolCallFunction? Function { get; set; }
}

/// <summary>The function a tool call calls, with its arguments as the text of a JSON object.</summary>
internal sealed class OpenAIToolCallFunction
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
}

/// <summary>One message; <c>content</c> is a string or an array of content parts.</summary>
internal sealed class OpenAIMessage
{
    public string? Role { get; set; }

    /// <summary>A string, an array of text parts, or <c>null</c> in an assistant message that only calls tools.</summary>
    public JsonElement Content { get; set; }

    public List<OpenAIToolCall>? ToolCalls { get; set; }

    /// <summary>The call a <c>tool</c> message answers.</summary>
    public string? ToolCallId { get; set; }
}

/// <summary><c>stream_options</c>.</summary>
internal sealed class OpenAIStreamOptions
{
    public bool? IncludeUsage { get; set; }
}

/// <summary>A non-streamed <c>chat.completion</c>.</summary>
internal sealed record OpenAIChatCompletion(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<OpenAIChoice> Choices,
    OpenAIUsage Usage);

/// <summary>One choice of a completion; <c>logprobs</c> only when the request asked for them and the upstream sent them.</summary>
internal sealed record OpenAIChoice(
    int Index,
    OpenAIResponseMessage Message,
    string? FinishReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Logprobs = null);

/// <summary>The assistant's message of a completion: <c>content</c> is <c>null</c> when it only calls tools.</summary>
internal sealed record OpenAIResponseMessage(
    string Role,
    string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OpenAIToolCall>? ToolCalls = null);

/// <summary>Token counts in OpenAI's naming.</summary>
internal sealed record OpenAIUsage(long PromptTokens, long CompletionTokens, long TotalTokens);

/// <summary><c>GET /v1/models</c>.</summary>
internal sealed record OpenAIModelList(string Object, IReadOnlyList<OpenAIModel> Data);

/// <summary>One entry of <c>GET /v1/models</c>.</summary>
internal sealed record OpenAIModel(string Id, string Object, long Created, string OwnedBy);
