namespace Gateway.TestUpstream.Internal;

/// <summary>The fields of a chat request that shape the fake's answer.</summary>
/// <param name="Model">The requested model, echoed in the answer.</param>
/// <param name="Stream">Whether the client asked for a streamed answer.</param>
/// <param name="IncludeUsage">Whether a stream reports token usage: always in Ollama, on request (<c>stream_options.include_usage</c>) in OpenAI.</param>
/// <param name="MaxTokens">The most chunks to send, each chunk counting as one token; <see langword="null"/> for no limit.</param>
/// <param name="Stop">Stop sequences: the answer ends just before the first of them (<c>stop</c> in OpenAI, <c>options.stop</c> in Ollama).</param>
/// <param name="EndsWithToolResult">Whether the last message has role <c>tool</c>: the model has what its tools returned and answers in text.</param>
/// <param name="Logprobs">Whether the client asked for each token's log probability (<c>logprobs: true</c>, OpenAI only).</param>
/// <param name="TopLogprobs">How many alternatives per token the client asked for (<c>top_logprobs</c>).</param>
/// <param name="Choices">How many choices the client asked for (<c>n</c>, OpenAI only).</param>
internal readonly record struct ChatRequest(
    string Model, bool Stream, bool IncludeUsage, int? MaxTokens, IReadOnlyList<string> Stop, bool EndsWithToolResult, bool Logprobs = false, int TopLogprobs = 0, int Choices = 1);
