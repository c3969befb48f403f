using Gateway.Core.Errors;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Embeddings;

/// <summary>
/// The embedding models a gateway serves, by name (case-insensitive), and the default one. Built once
/// from every <see cref="IEmbeddingModelSource"/>; disposing it disposes the models' generators.
/// </summary>
public sealed class EmbeddingModelRegistry : IDisposable
{
    private readonly Dictionary<string, EmbeddingModel> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EmbeddingModelInfo> _infos = [];

    /// <summary>Registers <paramref name="models"/> and picks <paramref name="defaultModel"/> as the default.</summary>
    /// <exception cref="OptionsValidationException">Two models share a name, or <paramref name="defaultModel"/> names none of them.</exception>
    public EmbeddingModelRegistry(IEnumerable<EmbeddingModel> models, string defaultModel)
    {
        ArgumentNullException.ThrowIfNull(models);
        var errors = new List<string>();
        foreach (var model in models)
        {
            if (!_models.TryAdd(model.Info.Name, model))
            {
                errors.Add($"Embedding model '{model.Info.Name}' is registered twice ({_models[model.Info.Name].Info.Source} and {model.Info.Source}); give each a different name.");
                continue;
            }

            _infos.Add(model.Info);
        }

        if (_models.TryGetValue(defaultModel, out var found))
        {
            Default = found;
        }
        else
        {
            errors.Add(_models.Count == 0
                ? $"{EmbeddingEnvironmentVariables.DefaultModel}: '{defaultModel}' is not available because no embedding model is registered; add one with {EmbeddingEnvironmentVariables.ModelPrefix}<NAME>=<model folder>."
                : $"{EmbeddingEnvironmentVariables.DefaultModel}: '{defaultModel}' is not an embedding model of this gateway; expected one of: {string.Join(", ", _models.Keys)}.");
        }

        if (errors.Count > 0)
        {
            Dispose();
            throw new OptionsValidationException(nameof(EmbeddingOptions), typeof(EmbeddingOptions), errors);
        }
    }

    /// <summary>Every model, in registration order.</summary>
    public IReadOnlyList<EmbeddingModelInfo> Models => _infos;

    /// <summary>The model used when a request names none.</summary>
    public EmbeddingModel Default { get; } = null!;

    /// <summary>The model named <paramref name="name"/>, or the default when it is <see langword="null"/> or blank.</summary>
    /// <exception cref="GatewayException"><c>embedding_model_not_found</c> (HTTP 404), listing the available names.</exception>
    public EmbeddingModel Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Default;
        }

        return _models.TryGetValue(name, out var model)
            ? model
            : throw new GatewayException(
                GatewayErrorKind.NotFound,
                GatewayErrorCodes.EmbeddingModelNotFound,
                $"No embedding model is named '{name}'. Available: {string.Join(", ", _models.Keys)}.",
                new Dictionary<string, object?> { ["model"] = name, ["available"] = _models.Keys.ToArray() });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Generator.Dispose();
        }
    }
}
