using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI.Responses;

/// <summary>
/// A function tool of a Responses API request as Microsoft.Extensions.AI's declaration: its name, description and
/// parameters schema, and <c>strict</c> under the <c>strict</c> additional property, where Microsoft.Extensions.AI.OpenAI reads it too.
/// </summary>
internal sealed class ResponsesFunctionDeclaration(string name, string? description, JsonElement parameters, bool? strict) : AIFunctionDeclaration
{
    private static readonly JsonElement EmptyObjectSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    public override string Name => name;

    public override string Description => description ?? string.Empty;

    public override JsonElement JsonSchema { get; } = parameters.ValueKind == JsonValueKind.Object ? parameters.Clone() : EmptyObjectSchema;

    public override IReadOnlyDictionary<string, object?> AdditionalProperties { get; } =
        strict is bool value ? new Dictionary<string, object?> { ["strict"] = value } : new Dictionary<string, object?>();
}
