namespace Gateway.AI.Conformance;

/// <summary>The options a model server received with a request, read back from the wire.</summary>
/// <param name="MaxOutputTokens">The token limit, when one was sent.</param>
/// <param name="Temperature">The sampling temperature, when one was sent.</param>
/// <param name="StopSequences">The stop sequences sent; empty when none.</param>
public sealed record SentChatOptions(int? MaxOutputTokens, float? Temperature, IReadOnlyList<string> StopSequences);
