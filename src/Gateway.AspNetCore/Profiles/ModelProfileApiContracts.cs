using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Profiles;

namespace Gateway.AspNetCore.Profiles;

/// <summary>The body of <c>POST /api/model-profiles</c> and <c>PUT /api/model-profiles/{id}</c>: every field of the profile.</summary>
internal sealed class ModelProfileBody
{
    public string? Name { get; set; }

    public string? ModelKey { get; set; }

    public string? SystemPrompt { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? MaxTokens { get; set; }

    [JsonConverter(typeof(StringOrArrayJsonConverter))]
    public List<string>? Stop { get; set; }

    public int? ContextWindow { get; set; }

    public JsonElement? Metadata { get; set; }

    public ModelProfileDefinition ToDefinition() => new(
        Name ?? throw GatewayException.InvalidField("name", "a profile name is required."),
        ModelKey ?? throw GatewayException.InvalidField("modelKey", "the route key the profile talks through is required."),
        SystemPrompt,
        Temperature,
        TopP,
        MaxTokens,
        Stop,
        ContextWindow,
        Metadata);
}
