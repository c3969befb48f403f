using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>
/// A request's <see cref="ChatOptions"/> as ONNX Runtime GenAI search options. A temperature of 0, or
/// none, means greedy decoding; otherwise tokens are sampled, with top-p and top-k applied only when
/// the request sets them (the model's <c>genai_config.json</c> defaults for them are not used, because
/// exports commonly set <c>top_k: 1</c>, which would silently turn sampling back into greedy decoding).
/// </summary>
internal sealed record GenerationSettings(
    int? MaxOutputTokens,
    float? Temperature,
    float? TopP,
    int? TopK,
    long? Seed,
    IReadOnlyList<string> StopSequences)
{
    /// <summary>
    /// What GenAI's search honours of the parameters beyond sampling: seed, top-k and stop sequences.
    /// It has no JSON mode or schema, no presence or frequency penalty, one answer, no log probabilities
    /// reported, no end-user id and no tools; nothing else reaches it.
    /// </summary>
    public static ChatParameterSupport Support { get; } = new(
        [
            ChatParameterNames.ResponseFormat, ChatParameterNames.PresencePenalty, ChatParameterNames.FrequencyPenalty,
            ChatParameterNames.N, ChatParameterNames.Logprobs, ChatParameterNames.TopLogprobs, ChatParameterNames.User,
            ChatParameterNames.ToolChoice,
        ],
        forwardsOtherMembers: false);

    public bool Sample => Temperature is > 0;

    /// <exception cref="GatewayException">An option is out of range (<c>invalid_request</c>).</exception>
    public static GenerationSettings From(ChatOptions? options)
    {
        if (options is null)
        {
            return new GenerationSettings(null, null, null, null, null, []);
        }

        if (options.MaxOutputTokens is <= 0)
        {
            throw GatewayException.InvalidField("options.maxTokens", "must be a positive number of tokens.");
        }

        if (options.Temperature is < 0 || options.Temperature is float temperature && !float.IsFinite(temperature))
        {
            throw GatewayException.InvalidField("options.temperature", "must be 0 (greedy) or more.");
        }

        if (options.TopP is <= 0 or > 1 || options.TopP is float topP && float.IsNaN(topP))
        {
            throw GatewayException.InvalidField("options.topP", "must be greater than 0 and at most 1.");
        }

        if (options.TopK is <= 0)
        {
            throw GatewayException.InvalidField("options.topK", "must be a positive number of tokens.");
        }

        return new GenerationSettings(
            options.MaxOutputTokens,
            options.Temperature,
            options.TopP,
            options.TopK,
            options.Seed,
            options.StopSequences?.Where(stop => !string.IsNullOrEmpty(stop)).ToArray() ?? []);
    }

    /// <param name="parameters">The generator's parameters.</param>
    /// <param name="maxLength">Prompt and answer tokens together.</param>
    public void Apply(GeneratorParams parameters, int maxLength)
    {
        parameters.SetSearchOption("max_length", maxLength);
        parameters.SetSearchOption("num_beams", 1);
        parameters.SetSearchOption("do_sample", Sample);
        if (!Sample)
        {
            return;
        }

        parameters.SetSearchOption("temperature", Temperature!.Value);
        parameters.SetSearchOption("top_p", TopP ?? 1.0);
        // top_k 0 is "no top-k cut" to GenAI; 1 would be greedy.
        parameters.SetSearchOption("top_k", TopK ?? 0);
        if (Seed is long seed)
        {
            // GenAI takes a non-negative 32-bit seed (-1 means "random"); fold a 64-bit seed into that range.
            parameters.SetSearchOption("random_seed", (double)(int)((ulong)seed % int.MaxValue));
        }
    }
}
