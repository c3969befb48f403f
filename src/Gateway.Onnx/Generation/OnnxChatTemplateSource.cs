namespace Gateway.Onnx.Generation;

/// <summary>Where the template that turns chat messages into a model's prompt comes from.</summary>
public enum OnnxChatTemplateSource
{
    /// <summary>The model's own template: <c>chat_template</c> in its <c>tokenizer_config.json</c>, rendered by ONNX Runtime GenAI.</summary>
    Tokenizer,

    /// <summary>
    /// The model folder has no template ONNX Runtime GenAI can render, so the gateway's ChatML layout is used
    /// (<c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message, then <c>&lt;|im_start|&gt;assistant\n</c>).
    /// </summary>
    ChatMLFallback,
}
