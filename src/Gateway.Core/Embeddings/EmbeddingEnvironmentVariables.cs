using Gateway.Core.Configuration;

namespace Gateway.Core.Embeddings;

/// <summary>The flat environment variables of <see cref="EmbeddingOptions"/> (see <c>.env.example</c>) and the keys they stand for.</summary>
internal static class EmbeddingEnvironmentVariables
{
    /// <summary>The embedding model used when a request names none.</summary>
    public const string DefaultModel = "DEFAULT_EMBEDDING_MODEL";

    /// <summary>The most inputs one request may embed.</summary>
    public const string MaxInputs = "EMBEDDING_MAX_INPUTS";

    /// <summary>The longest input accepted, in characters.</summary>
    public const string MaxInputCharacters = "EMBEDDING_MAX_INPUT_CHARS";

    /// <summary>Prefix of a model variable, named in hints; the packages that serve models map it (Gateway.Onnx).</summary>
    public const string ModelPrefix = "EMBEDDING_MODEL_";

    /// <summary>The embedding variables, mapped onto the <c>Gateway:Embeddings</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Text(DefaultModel, Key(nameof(EmbeddingOptions.DefaultModel)))
        .Number(MaxInputs, Key(nameof(EmbeddingOptions.MaxInputs)))
        .Number(MaxInputCharacters, Key(nameof(EmbeddingOptions.MaxInputCharacters)));

    private static string Key(string property) => $"{EmbeddingOptions.SectionName}:{property}";
}
