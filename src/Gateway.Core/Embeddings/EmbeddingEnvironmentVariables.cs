namespace Gateway.Core.Embeddings;

/// <summary>The flat environment variable names that configure embeddings (see <c>.env.example</c>).</summary>
public static class EmbeddingEnvironmentVariables
{
    /// <summary>Prefix of a model variable: <c>EMBEDDING_MODEL_&lt;NAME&gt;=&lt;model folder&gt;</c>.</summary>
    public const string ModelPrefix = "EMBEDDING_MODEL_";

    /// <summary>The embedding model used when a request names none.</summary>
    public const string DefaultModel = "DEFAULT_EMBEDDING_MODEL";

    /// <summary>The most inputs one request may embed.</summary>
    public const string MaxInputs = "EMBEDDING_MAX_INPUTS";

    /// <summary>The longest input accepted, in characters.</summary>
    public const string MaxInputCharacters = "EMBEDDING_MAX_INPUT_CHARS";
}
