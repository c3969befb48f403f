namespace Gateway.Onnx.Embeddings;

/// <summary>
/// The local embedding models of a gateway, registered by <c>AddOnnxEmbeddings()</c>. Bound from the
/// <c>Gateway:Embeddings</c> section, then the flat variables <c>EMBEDDING_MODEL_&lt;NAME&gt;</c>,
/// <c>ONNX_EXECUTION_PROVIDER</c>, <c>ONNX_INTRA_OP_THREADS</c> and <c>EMBEDDING_BATCH_SIZE</c>, which win;
/// validated at start-up.
/// </summary>
public sealed class OnnxEmbeddingOptions
{
    /// <summary>Model folders by name (<c>EMBEDDING_MODEL_&lt;NAME&gt;=&lt;folder&gt;</c>); names are case-insensitive.</summary>
    public IDictionary<string, string> Models { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the bundled all-MiniLM-L6-v2 is served too (default <see langword="true"/>); a configured model of the same name replaces it.</summary>
    public bool IncludeBundledModel { get; set; } = true;

    /// <summary>Where the models run (<c>ONNX_EXECUTION_PROVIDER</c>: auto, cpu or cuda; default auto).</summary>
    public OnnxExecutionProvider ExecutionProvider { get; set; } = OnnxExecutionProvider.Auto;

    /// <summary>Threads ONNX Runtime uses inside one run (<c>ONNX_INTRA_OP_THREADS</c>; 0, the default, is one per processor).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>The most inputs a model runs at once (<c>EMBEDDING_BATCH_SIZE</c>; 1 to 1,024, default 32).</summary>
    public int BatchSize { get; set; } = 32;


    /// <summary>Per-model settings, the same for every model of this gateway.</summary>
    internal OnnxEmbeddingModelOptions ToModelOptions() => new()
    {
        ExecutionProvider = ExecutionProvider,
        IntraOpThreads = IntraOpThreads,
        BatchSize = BatchSize,
    };
}
