namespace Gateway.Onnx.Embeddings;

/// <summary>
/// How one embedding model folder is loaded and run. Every setting left <see langword="null"/> comes from
/// the model's own files (sentence-transformers <c>1_Pooling/config.json</c>, <c>modules.json</c>,
/// <c>sentence_bert_config.json</c>, <c>tokenizer_config.json</c>, <c>tokenizer.json</c>, <c>config.json</c>),
/// and failing those from BERT's defaults (mean pooling, normalised, lower-cased, 512 tokens).
/// </summary>
public sealed class OnnxEmbeddingModelOptions
{
    /// <summary>The pooling; <see langword="null"/> reads it from the model folder.</summary>
    public EmbeddingPooling? Pooling { get; set; }

    /// <summary>Whether vectors are L2-normalised; <see langword="null"/> reads it from the model folder.</summary>
    public bool? Normalize { get; set; }

    /// <summary>Whether text is lower-cased (and accents stripped) before tokenising; <see langword="null"/> reads it from the model folder.</summary>
    public bool? LowerCase { get; set; }

    /// <summary>The most tokens of one input, <c>[CLS]</c> and <c>[SEP]</c> included; longer inputs are truncated. <see langword="null"/> reads it from the model folder.</summary>
    public int? MaxInputTokens { get; set; }

    /// <summary>Where the model runs (default <see cref="OnnxExecutionProvider.Auto"/>).</summary>
    public OnnxExecutionProvider ExecutionProvider { get; set; } = OnnxExecutionProvider.Auto;

    /// <summary>The most inputs run through the model at once (default 32).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>The most tokens, padding included, run through the model at once (default 8,192); long inputs make smaller batches.</summary>
    public int MaxBatchTokens { get; set; } = 8192;

    /// <summary>Threads ONNX Runtime uses inside one run; 0 (the default) uses one per processor.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>A last say over the session options, for tuning experiments (the benchmarks); not part of the public surface.</summary>
    internal Action<Microsoft.ML.OnnxRuntime.SessionOptions>? ConfigureSession { get; set; }
}
