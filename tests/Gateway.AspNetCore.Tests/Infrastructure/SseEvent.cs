namespace Gateway.AspNetCore.Tests.Infrastructure;

/// <summary>One Server-Sent Event as it arrived on the wire.</summary>
public sealed record SseEvent(string? Name, string Data);
