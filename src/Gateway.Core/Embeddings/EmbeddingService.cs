using Gateway.Core.Errors;
using Gateway.Core.Metrics;
using Microsoft.Extensions.Options;
using Env = Gateway.Core.Embeddings.EmbeddingEnvironmentVariables;

namespace Gateway.Core.Embeddings;

/// <summary>
/// Serves embedding requests for the HTTP layer: resolves the model, holds the inputs to
/// <see cref="EmbeddingOptions"/>' limits, and returns the vectors in input order.
/// </summary>
public sealed class EmbeddingService
{
    private readonly EmbeddingOptions _options;
    private readonly GatewayMetrics? _metrics;
    private readonly TimeProvider _time;

    /// <summary>Creates the service over <paramref name="registry"/>.</summary>
    /// <param name="registry">The models served.</param>
    /// <param name="options">The input limits.</param>
    /// <param name="metrics">Where each request that reaches a model is counted and timed, if anywhere.</param>
    /// <param name="time">The clock for the request duration; the system clock when <see langword="null"/>.</param>
    public EmbeddingService(EmbeddingModelRegistry registry, IOptions<EmbeddingOptions> options, GatewayMetrics? metrics = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        Registry = registry;
        _options = options.Value;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The models served.</summary>
    public EmbeddingModelRegistry Registry { get; }

    /// <summary>Embeds <paramref name="inputs"/> with the model named <paramref name="model"/> (the default when <see langword="null"/>).</summary>
    /// <param name="model">The model's name, or <see langword="null"/> for the default.</param>
    /// <param name="inputs">The texts, at least one, each non-empty.</param>
    /// <param name="dimensions">The dimensions the caller expects; only the model's own number is accepted.</param>
    /// <param name="cancellationToken">Stops the work between batches.</param>
    /// <exception cref="GatewayException">
    /// <c>embedding_model_not_found</c> (404), <c>too_many_embedding_inputs</c> (413),
    /// <c>embedding_input_too_long</c> (400) or <c>invalid_request</c> (400) for an empty input or other dimensions.
    /// </exception>
    public async Task<EmbeddingResult> EmbedAsync(
        string? model, IReadOnlyList<string>? inputs, int? dimensions = null, CancellationToken cancellationToken = default)
    {
        var resolved = Registry.Resolve(model);
        CheckInputs(inputs);
        var info = resolved.Info;
        if (dimensions is { } wanted && wanted != info.Dimensions)
        {
            throw GatewayException.InvalidField(
                "dimensions",
                $"the model '{info.Name}' returns {info.Dimensions} dimensions and cannot shorten them; omit dimensions or send {info.Dimensions}.");
        }

        var started = _time.GetTimestamp();
        var status = "error";
        try
        {
            var generated = await resolved.Generator.GenerateAsync(inputs, cancellationToken: cancellationToken).ConfigureAwait(false);
            var tokens = generated.Usage?.InputTokenCount ?? 0;
            status = "ok";
            var modelTag = new KeyValuePair<string, object?>("model", info.Name);
            _metrics?.EmbeddingInputs.Add(inputs.Count, modelTag);
            _metrics?.EmbeddingTokens.Add(tokens, modelTag);
            return new EmbeddingResult(info, generated, tokens);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = "cancelled";
            throw;
        }
        finally
        {
            _metrics?.EmbeddingDuration.Record(
                _time.GetElapsedTime(started).TotalSeconds, new("model", info.Name), new KeyValuePair<string, object?>("status", status));
        }
    }

    private void CheckInputs([System.Diagnostics.CodeAnalysis.NotNull] IReadOnlyList<string>? inputs)
    {
        if (inputs is null || inputs.Count == 0)
        {
            throw GatewayException.InvalidField("input", "expected a non-empty string or a non-empty array of strings.");
        }

        if (inputs.Count > _options.MaxInputs)
        {
            throw new GatewayException(
                GatewayErrorKind.PayloadTooLarge,
                GatewayErrorCodes.TooManyEmbeddingInputs,
                $"input: {inputs.Count} inputs are more than the limit of {_options.MaxInputs} per request ({Env.MaxInputs}); send them in several requests.",
                new Dictionary<string, object?> { ["field"] = "input", ["limit"] = _options.MaxInputs, ["count"] = inputs.Count });
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (string.IsNullOrEmpty(input))
            {
                throw GatewayException.InvalidField($"input[{i}]", "expected a non-empty string.");
            }

            if (input.Length > _options.MaxInputCharacters)
            {
                throw new GatewayException(
                    GatewayErrorKind.InvalidRequest,
                    GatewayErrorCodes.EmbeddingInputTooLong,
                    $"input[{i}]: {input.Length} characters are more than the limit of {_options.MaxInputCharacters} ({Env.MaxInputCharacters}); split the text.",
                    new Dictionary<string, object?> { ["field"] = $"input[{i}]", ["limit"] = _options.MaxInputCharacters, ["length"] = input.Length });
            }
        }
    }
}
