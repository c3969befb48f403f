using System.Text.Json;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>The fallback prompt layout, and how to tell whether a model folder declares its own.</summary>
internal static class ChatTemplates
{
    /// <summary>
    /// ChatML, the layout of Qwen and many other instruction-tuned models, as Jinja for GenAI's
    /// template engine. Used only when the model folder has no template GenAI can render.
    /// </summary>
    public const string ChatML =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{'<|im_start|>assistant\n'}}{% endif %}";

    /// <summary>A one-message conversation used to check at load time that a template renders.</summary>
    public const string ProbeConversation = """[{"role":"user","content":"Hello"}]""";

    /// <summary>Whether the folder declares a chat template (<c>chat_template</c> in tokenizer_config.json, or chat_template.jinja).</summary>
    public static bool IsDeclared(string folder)
    {
        if (File.Exists(Path.Combine(folder, "chat_template.jinja")))
        {
            return true;
        }

        var configPath = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(configPath))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(configPath));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("chat_template", out var template)
                && template.ValueKind is JsonValueKind.String or JsonValueKind.Array;
        }
        catch (JsonException)
        {
            // GenAI reports an unreadable tokenizer configuration itself when it loads the tokenizer.
            return false;
        }
    }
}
