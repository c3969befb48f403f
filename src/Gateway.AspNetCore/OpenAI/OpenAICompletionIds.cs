namespace Gateway.AspNetCore.OpenAI;

/// <summary>Completion ids in OpenAI's form: the upstream's when it sent one, else <c>chatcmpl-</c> and a fresh UUIDv7.</summary>
internal static class OpenAICompletionIds
{
    public static string From(string? upstreamId) =>
        upstreamId is { Length: > 0 } ? upstreamId : "chatcmpl-" + Guid.CreateVersion7().ToString("N");
}
