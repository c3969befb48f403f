using Gateway.Core.Configuration;
using Gateway.Core.Embeddings;
using Gateway.Onnx.Embeddings;
using Gateway.Onnx.Internal;

namespace Gateway.Onnx;

/// <summary>The flat environment variables of Gateway.Onnx (see <c>.env.example</c>) and the keys they stand for.</summary>
internal static class OnnxEnvironmentVariables
{
    /// <summary>Where local models run: <c>auto</c> (default), <c>cpu</c> or <c>cuda</c>.</summary>
    public const string ExecutionProvider = "ONNX_EXECUTION_PROVIDER";

    /// <summary>Threads ONNX Runtime uses inside one run; 0 means one per processor.</summary>
    public const string IntraOpThreads = "ONNX_INTRA_OP_THREADS";

    /// <summary>The most inputs an embedding model runs at once.</summary>
    public const string EmbeddingBatchSize = "EMBEDDING_BATCH_SIZE";

    /// <summary>Prefix of a model variable: <c>EMBEDDING_MODEL_&lt;NAME&gt;=&lt;model folder&gt;</c>.</summary>
    public const string EmbeddingModelPrefix = "EMBEDDING_MODEL_";

    /// <summary>
    /// The package's variables, mapped onto <c>Gateway:Onnx</c> and <c>Gateway:Embeddings</c>. The
    /// package-wide execution provider is copied into the embeddings' section, where it wins over an
    /// embeddings-only <c>Gateway:Embeddings:ExecutionProvider</c>.
    /// </summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .OneOf(ExecutionProvider, OnnxExecutionProviderSetting.Key, "auto", "cpu", "cuda")
        .Copy(OnnxExecutionProviderSetting.Key, EmbeddingKey(nameof(OnnxEmbeddingOptions.ExecutionProvider)))
        .Prefix(EmbeddingModelPrefix, EmbeddingKey(nameof(OnnxEmbeddingOptions.Models)), "model folder")
        .Number(IntraOpThreads, EmbeddingKey(nameof(OnnxEmbeddingOptions.IntraOpThreads)))
        .Number(EmbeddingBatchSize, EmbeddingKey(nameof(OnnxEmbeddingOptions.BatchSize)));

    private static string EmbeddingKey(string property) => $"{EmbeddingOptions.SectionName}:{property}";
}
