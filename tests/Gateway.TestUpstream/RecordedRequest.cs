namespace Gateway.TestUpstream;

/// <summary>One request (chat or catalogue) as the fake upstream received it.</summary>
/// <param name="Path">The request path, e.g. <c>/v1/chat/completions</c>.</param>
/// <param name="Authorization">The <c>Authorization</c> header, or <see langword="null"/> when none was sent.</param>
/// <param name="Body">The raw request body text.</param>
public sealed record RecordedRequest(string Path, string? Authorization, string Body);
