namespace Gateway.AspNetCore.Internal;

/// <summary>OpenAI's error object: what its official clients parse.</summary>
internal sealed record OpenAIErrorBody(string Message, string Type, string Code);
