using System.Text.Json.Serialization;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>Source-generated JSON for the OpenAI-compatible surface (snake_case, as OpenAI's API).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(OpenAIChatRequest))]
[JsonSerializable(typeof(OpenAIChatCompletion))]
[JsonSerializable(typeof(OpenAIModelList))]
[JsonSerializable(typeof(OpenAIModel))]
[JsonSerializable(typeof(OpenAIEmbeddingRequest))]
[JsonSerializable(typeof(OpenAIEmbeddingList))]
internal sealed partial class OpenAIJsonContext : JsonSerializerContext;
