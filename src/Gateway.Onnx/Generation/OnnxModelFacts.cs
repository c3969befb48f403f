namespace Gateway.Onnx.Generation;

/// <summary>
/// What a loaded ONNX Runtime GenAI model is, for display next to a route: where it runs, its
/// architecture as <c>genai_config.json</c> describes it, and which chat template formats its prompts.
/// A number the configuration does not state is 0.
/// </summary>
/// <param name="ModelFolder">The full path of the model folder.</param>
/// <param name="ModelType">The architecture GenAI runs it as (<c>phi3</c>, <c>qwen2</c>, <c>llama</c>, …).</param>
/// <param name="ExecutionProvider">Where it actually runs: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="ContextLength">The most tokens, prompt and answer together, it can attend to.</param>
/// <param name="VocabSize">The number of tokens it knows.</param>
/// <param name="Layers">Decoder layers.</param>
/// <param name="HiddenSize">Width of the hidden state.</param>
/// <param name="AttentionHeads">Attention (query) heads.</param>
/// <param name="KeyValueHeads">Key/value heads (fewer than the attention heads for grouped-query attention).</param>
/// <param name="HeadSize">Width of one attention head.</param>
/// <param name="ChatTemplate">Where the prompt template comes from.</param>
public sealed record OnnxModelFacts(
    string ModelFolder,
    string ModelType,
    string ExecutionProvider,
    int ContextLength,
    int VocabSize,
    int Layers,
    int HiddenSize,
    int AttentionHeads,
    int KeyValueHeads,
    int HeadSize,
    OnnxChatTemplateSource ChatTemplate);
