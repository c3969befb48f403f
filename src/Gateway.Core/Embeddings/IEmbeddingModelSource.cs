namespace Gateway.Core.Embeddings;

/// <summary>
/// Supplies embedding models to the <see cref="EmbeddingModelRegistry"/>. A package that can serve
/// embeddings (for example Gateway.Onnx with local models) registers one; the registry asks every
/// source once, when it is first needed (at start-up in a host).
/// </summary>
public interface IEmbeddingModelSource
{
    /// <summary>Loads this source's models. Throws a <see cref="Errors.GatewayException"/> naming the setting when one cannot be loaded.</summary>
    IReadOnlyList<EmbeddingModel> LoadModels();
}
