namespace Gateway.Core.Embeddings;

/// <summary>What a registered embedding model is and where it runs, as <c>GET /api/models</c> can show it.</summary>
/// <param name="Name">The name requests use to pick it (case-insensitive).</param>
/// <param name="Dimensions">The length of every vector it returns.</param>
/// <param name="MaxInputTokens">The tokens of one input it reads; longer inputs are truncated to this.</param>
/// <param name="Provider">Which package serves it, e.g. <c>onnx</c>.</param>
/// <param name="ExecutionProvider">Where it actually runs: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Source">Where it was loaded from, e.g. its model folder.</param>
public sealed record EmbeddingModelInfo(
    string Name,
    int Dimensions,
    int MaxInputTokens,
    string Provider,
    string ExecutionProvider,
    string Source);
