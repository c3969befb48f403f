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

/// <summary>One message; <c>content</c> is a string or an array of content parts.</summary>
internal sealed class OpenAIMessage
{
    public string? Role { get; set; }

    public JsonElement Content { get; set; }
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

/// <summary>One choice of a completion.</summary>
internal sealed record OpenAIChoice(int Index, OpenAIResponseMessage Message, string? FinishReason);

/// <summary>The assistant's message of a completion.</summary>
internal sealed record OpenAIResponseMessage(string Role, string Content);

/// <summary>Token counts in OpenAI's naming.</summary>
internal sealed record OpenAIUsage(long PromptTokens, long CompletionTokens, long TotalTokens);

/// <summary><c>GET /v1/models</c>.</summary>
internal sealed record OpenAIModelList(string Object, IReadOnlyList<OpenAIModel> Data);

/// <summary>One entry of <c>GET /v1/models</c>.</summary>
internal sealed record OpenAIModel(string Id, string Object, long Created, string OwnedBy);
