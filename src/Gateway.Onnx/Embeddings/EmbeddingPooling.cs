namespace Gateway.Onnx.Embeddings;

/// <summary>How a sentence vector is made from the model's token vectors.</summary>
public enum EmbeddingPooling
{
    /// <summary>The mean of the token vectors, padding excluded (sentence-transformers' <c>pooling_mode_mean_tokens</c>).</summary>
    Mean,

    /// <summary>The vector of the first token, <c>[CLS]</c> (<c>pooling_mode_cls_token</c>).</summary>
    Cls,
}
