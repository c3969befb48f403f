namespace Gateway.Onnx;

/// <summary>The flat environment variable names that configure Gateway.Onnx (see <c>.env.example</c>).</summary>
public static class OnnxEnvironmentVariables
{
    /// <summary>Where local models run: <c>auto</c> (default), <c>cpu</c> or <c>cuda</c>.</summary>
    public const string ExecutionProvider = "ONNX_EXECUTION_PROVIDER";

    /// <summary>Threads ONNX Runtime uses inside one run; 0 means one per processor.</summary>
    public const string IntraOpThreads = "ONNX_INTRA_OP_THREADS";

    /// <summary>The most inputs an embedding model runs at once.</summary>
    public const string EmbeddingBatchSize = "EMBEDDING_BATCH_SIZE";
}
