namespace Gateway.Core.Chat;

/// <summary>
/// The names of the request parameters a route's provider may or may not honour, as OpenAI's
/// <c>/v1/chat/completions</c> spells them; <see cref="ChatParameterSupport"/> and the
/// <c>unsupported_parameter</c> error name parameters this way on every surface. The ones with no
/// <see cref="Microsoft.Extensions.AI.ChatOptions"/> property of their own travel in
/// <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> under these names.
/// </summary>
public static class ChatParameterNames
{
    /// <summary><c>response_format</c>: JSON mode or a JSON schema (<see cref="Microsoft.Extensions.AI.ChatOptions.ResponseFormat"/>; plain text is always honoured).</summary>
    public const string ResponseFormat = "response_format";

    /// <summary><c>seed</c> (<see cref="Microsoft.Extensions.AI.ChatOptions.Seed"/>).</summary>
    public const string Seed = "seed";

    /// <summary><c>presence_penalty</c> (<see cref="Microsoft.Extensions.AI.ChatOptions.PresencePenalty"/>).</summary>
    public const string PresencePenalty = "presence_penalty";

    /// <summary><c>frequency_penalty</c> (<see cref="Microsoft.Extensions.AI.ChatOptions.FrequencyPenalty"/>).</summary>
    public const string FrequencyPenalty = "frequency_penalty";

    /// <summary><c>top_k</c> (<see cref="Microsoft.Extensions.AI.ChatOptions.TopK"/>).</summary>
    public const string TopK = "top_k";

    /// <summary><c>stop</c> (<see cref="Microsoft.Extensions.AI.ChatOptions.StopSequences"/>).</summary>
    public const string Stop = "stop";

    /// <summary><c>tool_choice</c> when it requires a tool call (<see cref="Microsoft.Extensions.AI.ChatToolMode.RequireAny"/> or a named function).</summary>
    public const string ToolChoice = "tool_choice";

    /// <summary><c>logprobs</c>: <see langword="true"/> asks for each output token's log probability, relayed back with the answer.</summary>
    public const string Logprobs = "logprobs";

    /// <summary><c>top_logprobs</c>: how many most likely alternatives to report per token.</summary>
    public const string TopLogprobs = "top_logprobs";

    /// <summary><c>user</c>: the end user's id, for the upstream's abuse monitoring.</summary>
    public const string User = "user";

    /// <summary><c>n</c>: how many choices to generate (only values above 1 are carried).</summary>
    public const string N = "n";

    /// <summary>
    /// Not a request member of its own: <see langword="true"/> under this key of
    /// <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> makes a JSON-schema
    /// <see cref="ResponseFormat"/> strict (<c>json_schema.strict</c>), as Microsoft.Extensions.AI's own OpenAI client reads it.
    /// </summary>
    public const string StrictJsonSchema = "strictJsonSchema";
}
