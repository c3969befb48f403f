using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Onnx.Tests.Generation.Fixture;

/// <summary>
/// Writes a complete ONNX Runtime GenAI model folder for a <see cref="TinyDecoderSpec"/>:
/// <c>model.onnx</c>, <c>genai_config.json</c>, <c>tokenizer.json</c> and <c>tokenizer_config.json</c>.
/// </summary>
internal static class TinyModelFolder
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string folder, TinyDecoderSpec spec)
    {
        Directory.CreateDirectory(folder);
        var vocabulary = new ByteLevelBpeVocabulary();
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), TinyDecoderModel.Build(spec, vocabulary));
        WriteJson(folder, "genai_config.json", GenAIConfig(spec, vocabulary));
        WriteJson(folder, "tokenizer.json", Tokenizer(vocabulary));
        WriteJson(folder, "tokenizer_config.json", TokenizerConfig(spec, vocabulary));
    }

    private static JsonObject GenAIConfig(TinyDecoderSpec spec, ByteLevelBpeVocabulary vocabulary)
    {
        var endOfText = vocabulary.IdOf(ByteLevelBpeVocabulary.EndOfText);
        return new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["type"] = "llama",
                ["bos_token_id"] = endOfText,
                ["eos_token_id"] = new JsonArray(endOfText, vocabulary.IdOf(ByteLevelBpeVocabulary.End), vocabulary.IdOf(ByteLevelBpeVocabulary.ImEnd)),
                ["pad_token_id"] = endOfText,
                ["context_length"] = spec.ContextLength,
                ["vocab_size"] = vocabulary.Count,
                ["decoder"] = new JsonObject
                {
                    ["filename"] = "model.onnx",
                    ["session_options"] = new JsonObject { ["log_id"] = "onnxruntime-genai", ["provider_options"] = new JsonArray() },
                    ["hidden_size"] = spec.Hidden,
                    ["head_size"] = spec.HeadSize,
                    ["num_attention_heads"] = spec.Heads,
                    ["num_key_value_heads"] = spec.Heads,
                    ["num_hidden_layers"] = spec.Layers,
                    ["inputs"] = new JsonObject
                    {
                        ["input_ids"] = "input_ids",
                        ["attention_mask"] = "attention_mask",
                        ["position_ids"] = "position_ids",
                        ["past_key_names"] = "past_key_values.%d.key",
                        ["past_value_names"] = "past_key_values.%d.value",
                    },
                    ["outputs"] = new JsonObject
                    {
                        ["logits"] = "logits",
                        ["present_key_names"] = "present.%d.key",
                        ["present_value_names"] = "present.%d.value",
                    },
                },
            },
            ["search"] = new JsonObject
            {
                ["do_sample"] = false,
                ["max_length"] = spec.ContextLength,
                ["min_length"] = 0,
                ["num_beams"] = 1,
                ["num_return_sequences"] = 1,
                ["past_present_share_buffer"] = false,
                ["repetition_penalty"] = 1.0,
                ["temperature"] = 1.0,
                ["top_k"] = 1,
                ["top_p"] = 1.0,
            },
        };
    }

    private static JsonObject Tokenizer(ByteLevelBpeVocabulary vocabulary)
    {
        var vocab = new JsonObject();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            vocab[vocabulary.Tokens[id]] = id;
        }

        var added = new JsonArray();
        foreach (var special in ByteLevelBpeVocabulary.SpecialTokens)
        {
            added.Add(new JsonObject
            {
                ["id"] = vocabulary.IdOf(special),
                ["content"] = special,
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            });
        }

        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(vocabulary.Merges.Select(merge => (JsonNode)merge).ToArray()),
            },
        };
    }

    private static JsonObject TokenizerConfig(TinyDecoderSpec spec, ByteLevelBpeVocabulary vocabulary)
    {
        var decoder = new JsonObject();
        foreach (var special in ByteLevelBpeVocabulary.SpecialTokens)
        {
            decoder[vocabulary.IdOf(special).ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = special,
                ["lstrip"] = false,
                ["normalized"] = false,
                ["rstrip"] = false,
                ["single_word"] = false,
                ["special"] = true,
            };
        }

        var config = new JsonObject
        {
            ["tokenizer_class"] = "GPT2Tokenizer",
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["bos_token"] = ByteLevelBpeVocabulary.EndOfText,
            ["eos_token"] = ByteLevelBpeVocabulary.EndOfText,
            ["unk_token"] = ByteLevelBpeVocabulary.EndOfText,
            ["pad_token"] = ByteLevelBpeVocabulary.EndOfText,
            ["model_max_length"] = spec.ContextLength,
            ["clean_up_tokenization_spaces"] = false,
            ["added_tokens_decoder"] = decoder,
        };
        if (spec.ChatTemplate is not null)
        {
            config["chat_template"] = spec.ChatTemplate;
        }

        return config;
    }

    private static void WriteJson(string folder, string name, JsonObject json) =>
        File.WriteAllText(Path.Combine(folder, name), json.ToJsonString(Indented));
}
