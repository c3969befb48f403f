namespace Gateway.TestUpstream;

/// <summary>
/// What the fake upstream answers to chat requests. Assign a new instance to
/// <see cref="TestUpstreamServer.Behavior"/>; each request reads the behaviour current when it arrives.
/// </summary>
public sealed record UpstreamBehavior
{
    /// <summary>The content deltas of a streamed answer; a non-streamed answer carries them joined.</summary>
    public IReadOnlyList<string> Chunks { get; init; } = ["Hello", ", ", "world", "!"];

    /// <summary>How long to wait before anything of the response, headers included, is sent.</summary>
    public TimeSpan FirstByteDelay { get; init; }

    /// <summary>How long to wait between two content chunks of a stream.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>
    /// 0 for no failure; otherwise the HTTP status to answer with, with an error body in the provider's
    /// error format, for the first <see cref="FailTimes"/> requests.
    /// </summary>
    public int FailWithStatus { get; init; }

    /// <summary>How many requests fail with <see cref="FailWithStatus"/> before the upstream answers normally.</summary>
    public int FailTimes { get; init; } = int.MaxValue;

    /// <summary>The error message of injected failures, status or in-stream.</summary>
    public string FailureMessage { get; init; } = "injected failure";

    /// <summary>When set, failed answers carry a <c>Retry-After</c> header with this many seconds.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>
    /// -1 for an unbroken answer; otherwise a stream is broken after this many content chunks (a value past
    /// the last chunk never breaks it): the connection is aborted, or an in-stream error is sent when
    /// <see cref="ErrorEventAfterChunks"/> is set. A non-streamed answer is broken before it starts.
    /// </summary>
    public int BreakAfterChunks { get; init; } = -1;

    /// <summary>
    /// Break the answer with the provider's in-stream error and a normally ended response instead of an
    /// aborted connection; a non-streamed answer becomes a 500 with the provider's error body.
    /// </summary>
    public bool ErrorEventAfterChunks { get; init; }

    /// <summary>
    /// Break a stream by ending the response normally after <see cref="BreakAfterChunks"/> chunks, with
    /// neither the provider's end marker (OpenAI's <c>finish_reason</c> and <c>[DONE]</c>, Ollama's
    /// <c>"done": true</c>) nor an error, as a server that dies behind a proxy does.
    /// </summary>
    public bool CloseAfterChunks { get; init; }

    /// <summary>
    /// End an OpenAI stream after its <c>finish_reason</c> (and usage) chunk without <c>data: [DONE]</c>,
    /// as some OpenAI-compatible servers do; Ollama streams are unchanged.
    /// </summary>
    public bool OmitDoneMarker { get; init; }

    /// <summary>The prompt token count reported in the usage.</summary>
    public int PromptTokens { get; init; } = 7;

    /// <summary>The completion token count reported in the usage; <see langword="null"/> for the number of chunks sent.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>The finish reason of a complete answer; an answer cut short by the request's token limit reports <c>length</c>.</summary>
    public string FinishReason { get; init; } = "stop";

    /// <summary>
    /// When set, the answer to a request whose last message is not a tool result: these calls instead of text,
    /// with finish reason <c>tool_calls</c>. A request that ends with a tool result gets <see cref="Chunks"/>, as a
    /// model answers once it has seen what its tools returned, so a whole tool round trip runs against one behaviour.
    /// Streamed, each call starts with a chunk carrying its index, id and name, and each argument fragment follows in
    /// a chunk of its own, as OpenAI streams them.
    /// </summary>
    public IReadOnlyList<UpstreamToolCall>? ToolCalls { get; init; }

    /// <summary>
    /// Stream the fragments of parallel <see cref="ToolCalls"/> in turns (first fragment of each call, then the
    /// second of each, …) instead of one call after the other, so a client must put them together by index.
    /// </summary>
    public bool InterleaveToolCalls { get; init; }
}
