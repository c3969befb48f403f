namespace Gateway.AspNetCore.Internal;

/// <summary>OpenAI's error object: what its official clients parse. <c>param</c> names the request field at fault, if any.</summary>
internal sealed record OpenAIErrorBody(string Message, string Type, string Code, string? Param);
