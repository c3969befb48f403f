namespace Gateway.Onnx.Tests.Generation.Fixture;

/// <summary>The shape and personality of a fixture model.</summary>
/// <param name="Layers">Decoder layers.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Heads">Attention heads (also the key/value heads).</param>
/// <param name="ContextLength">Positions the model has embeddings for; also GenAI's <c>max_length</c>.</param>
/// <param name="Seed">Seeds the random weights, so a spec always gives the same model.</param>
/// <param name="EndOfTextBias">Added to the end-of-text logits: very negative keeps the model talking, very positive makes it stop at once.</param>
/// <param name="ChatTemplate">The Jinja chat template written to tokenizer_config.json, or <see langword="null"/> for none.</param>
public sealed record TinyDecoderSpec(
    int Layers = 2,
    int Hidden = 32,
    int Heads = 2,
    int ContextLength = 512,
    int Seed = 20240607,
    float EndOfTextBias = -40f,
    string? ChatTemplate = TinyDecoderSpec.Phi3Template)
{
    /// <summary>Phi-3's layout, written as the Jinja a Hugging Face export carries.</summary>
    public const string Phi3Template =
        "{% for message in messages %}{{'<|' + message['role'] + '|>\n' + message['content'] + '<|end|>\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{'<|assistant|>\n'}}{% endif %}";

    public int HeadSize => Hidden / Heads;
}
