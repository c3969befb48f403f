using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Internal;

/// <summary>The parts of an upstream chat request body that every JSON provider writes the same way.</summary>
internal static class UpstreamChatParameters
{
    public static void WriteStop(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options?.StopSequences is { Count: > 0 } stop)
        {
            writer.WriteStartArray("stop");
            foreach (var sequence in stop)
            {
                writer.WriteStringValue(sequence);
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>
    /// <c>seed</c> and <c>top_k</c>, when the request sets them: both Ollama's options and OpenAI-compatible
    /// servers such as vLLM and llama.cpp read these names (OpenAI itself rejects <c>top_k</c>).
    /// </summary>
    public static void WriteSeedAndTopK(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options?.Seed is long seed)
        {
            writer.WriteNumber("seed", seed);
        }

        if (options?.TopK is int topK)
        {
            writer.WriteNumber("top_k", topK);
        }
    }

    /// <summary><c>presence_penalty</c> and <c>frequency_penalty</c>, when the request sets them: OpenAI's top level and Ollama's options use these names.</summary>
    public static void WritePenalties(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options?.PresencePenalty is float presence)
        {
            writer.WriteSamplingNumber("presence_penalty", presence);
        }

        if (options?.FrequencyPenalty is float frequency)
        {
            writer.WriteSamplingNumber("frequency_penalty", frequency);
        }
    }

    public static ChatFinishReason? ToFinishReason(string? reason) => reason switch
    {
        null or "" => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };

    public static UsageDetails? ToUsage(long? input, long? output) =>
        input is null && output is null
            ? null
            : new UsageDetails
            {
                InputTokenCount = input,
                OutputTokenCount = output,
                TotalTokenCount = (input ?? 0) + (output ?? 0),
            };
}
