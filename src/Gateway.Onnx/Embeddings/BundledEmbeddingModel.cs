using Gateway.Core.Embeddings;
using Microsoft.Extensions.Logging;

namespace Gateway.Onnx.Embeddings;

/// <summary>
/// The embedding model that ships with Gateway.Onnx: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0
/// weights; 384 dimensions, mean pooling, normalised, 256 tokens). Every project that references the
/// package gets it in its output as <c>models/all-MiniLM-L6-v2/</c>, so it works offline with no configuration.
/// </summary>
public static class BundledEmbeddingModel
{
    /// <summary>The name it is served under.</summary>
    public const string Name = EmbeddingOptions.BundledModelName;

    /// <summary>Where the build put it: <c>models/all-MiniLM-L6-v2</c> beside the application.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "models", Name);

    /// <summary>Loads it; see <see cref="OnnxEmbeddingGenerator.Load"/>.</summary>
    public static OnnxEmbeddingGenerator Load(OnnxEmbeddingModelOptions? options = null, ILogger? logger = null) =>
        OnnxEmbeddingGenerator.Load(Name, Folder, options, logger);
}
