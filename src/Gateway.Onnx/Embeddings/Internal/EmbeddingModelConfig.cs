namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>How one model folder is run, settled from the options, the folder's own files and BERT's defaults.</summary>
/// <param name="Folder">The model folder, full path.</param>
/// <param name="ModelPath">Its <c>model.onnx</c>.</param>
/// <param name="Pooling">How token vectors become one vector.</param>
/// <param name="Normalize">Whether vectors are L2-normalised.</param>
/// <param name="LowerCase">Whether text is lower-cased before tokenising.</param>
/// <param name="StripAccents">Whether accents are removed before tokenising.</param>
/// <param name="MaxInputTokens">The most tokens of one input, special tokens included.</param>
internal sealed record EmbeddingModelConfig(
    string Folder,
    string ModelPath,
    EmbeddingPooling Pooling,
    bool Normalize,
    bool LowerCase,
    bool StripAccents,
    int MaxInputTokens);
