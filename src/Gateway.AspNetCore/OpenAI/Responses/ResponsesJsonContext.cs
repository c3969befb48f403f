using System.Text.Json.Serialization;

namespace Gateway.AspNetCore.OpenAI.Responses;

/// <summary>Source-generated JSON for the Responses API (snake_case, as OpenAI's API).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ResponsesRequest))]
[JsonSerializable(typeof(ResponseBody))]
[JsonSerializable(typeof(ResponseDeleted))]
internal sealed partial class ResponsesJsonContext : JsonSerializerContext;
