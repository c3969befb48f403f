using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// A function tool as a <c>/v1</c> client declared it: its schema as sent, and <c>strict</c> in
/// <see cref="AITool.AdditionalProperties"/> under the key Microsoft.Extensions.AI's OpenAI client reads.
/// </summary>
internal sealed class OpenAIFunctionDeclaration(string name, string? description, JsonElement schema, bool? strict) : AIFunctionDeclaration
{
    private static readonly IReadOnlyDictionary<string, object?> NotStrict = new Dictionary<string, object?>();

    public override string Name => name;

    public override string Description => description ?? string.Empty;

    public override JsonElement JsonSchema => schema;

    public override IReadOnlyDictionary<string, object?> AdditionalProperties { get; } =
        strict is bool value ? new Dictionary<string, object?> { ["strict"] = value } : NotStrict;
}
