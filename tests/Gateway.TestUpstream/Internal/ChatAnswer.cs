using System.Text.Json;

namespace Gateway.TestUpstream.Internal;

/// <summary>What one chat request will be answered with, in either wire format.</summary>
/// <param name="Model">The requested model, encoded once for every chunk.</param>
/// <param name="Created">When the answer was created.</param>
/// <param name="Chunks">The content chunks to send, already cut to the request's token limit.</param>
/// <param name="Content">The chunks joined, for a non-streamed answer.</param>
/// <param name="PromptTokens">The prompt token count to report.</param>
/// <param name="CompletionTokens">The completion token count to report.</param>
/// <param name="FinishReason">Why the answer ended.</param>
/// <param name="IncludeUsage">Whether a stream reports token usage: always in Ollama, on request (<c>stream_options.include_usage</c>) in OpenAI.</param>
/// <param name="BreakAfterChunks">After how many chunks the answer breaks; <see langword="null"/> when it completes.</param>
/// <param name="DoneMarker">Whether an OpenAI stream ends with <c>data: [DONE]</c>.</param>
/// <param name="ToolCalls">The tool calls the answer makes instead of text; empty for a text answer.</param>
/// <param name="ToolCallSteps">The chunks a streamed tool-call answer sends, in order.</param>
/// <param name="Logprobs">Whether each text chunk reports its log probability (OpenAI's <c>logprobs</c>), as asked.</param>
/// <param name="TopLogprobs">How many alternatives each reported token lists.</param>
/// <param name="Choices">How many choices a text answer has (OpenAI's <c>n</c>): choice k says the same with <c>(k) </c> first.</param>
internal readonly record struct ChatAnswer(
    JsonEncodedText Model,
    DateTimeOffset Created,
    ReadOnlyMemory<JsonEncodedText> Chunks,
    string Content,
    int PromptTokens,
    int CompletionTokens,
    string FinishReason,
    bool IncludeUsage,
    int? BreakAfterChunks,
    bool DoneMarker,
    IReadOnlyList<UpstreamToolCall> ToolCalls,
    ReadOnlyMemory<ToolCallStep> ToolCallSteps,
    bool Logprobs,
    int TopLogprobs,
    int Choices)
{
    /// <summary>How many chunks a stream of this answer sends before its closing events.</summary>
    public int StreamLength => ToolCalls.Count > 0 ? ToolCallSteps.Length : Chunks.Length;

    public static ChatAnswer Plan(ChatRequest request, ActiveBehavior active, DateTimeOffset created)
    {
        var behavior = active.Behavior;
        if (behavior.ToolCalls is { Count: > 0 } toolCalls && !request.EndsWithToolResult)
        {
            var steps = ToolCallStep.Plan(toolCalls, behavior.InterleaveToolCalls);
            return new ChatAnswer(
                WireJson.Encode(request.Model),
                created,
                ReadOnlyMemory<JsonEncodedText>.Empty,
                string.Empty,
                behavior.PromptTokens,
                behavior.CompletionTokens ?? steps.Length,
                "tool_calls",
                request.IncludeUsage,
                behavior.BreakAfterChunks >= 0 && behavior.BreakAfterChunks <= steps.Length ? behavior.BreakAfterChunks : null,
                !behavior.OmitDoneMarker,
                toolCalls,
                steps,
                Logprobs: false,
                TopLogprobs: 0,
                Choices: 1);
        }

        var available = active.EncodedChunks.Length;
        var count = request.MaxTokens is { } maxTokens && maxTokens < available ? Math.Max(maxTokens, 0) : available;
        var truncated = count < available;
        var chunks = active.EncodedChunks.AsMemory(0, count);
        var content = truncated ? string.Concat(behavior.Chunks.Take(count)) : active.Content;
        var finishReason = truncated ? "length" : behavior.FinishReason;
        if (StopAt(content, request.Stop) is { } stop)
        {
            // As a real server does: the text ends just before the stop sequence, which is not sent.
            var kept = KeepBefore(behavior.Chunks, stop);
            chunks = kept.Select(WireJson.Encode).ToArray();
            content = content[..stop];
            finishReason = "stop";
        }

        return new ChatAnswer(
            WireJson.Encode(request.Model),
            created,
            chunks,
            content,
            behavior.PromptTokens,
            behavior.CompletionTokens ?? chunks.Length,
            finishReason,
            request.IncludeUsage,
            behavior.BreakAfterChunks >= 0 && behavior.BreakAfterChunks <= chunks.Length ? behavior.BreakAfterChunks : null,
            !behavior.OmitDoneMarker,
            [],
            ReadOnlyMemory<ToolCallStep>.Empty,
            request.Logprobs,
            request.TopLogprobs,
            request.Choices);
    }

    private static int? StopAt(string content, IReadOnlyList<string> stops)
    {
        int? first = null;
        foreach (var stop in stops)
        {
            var at = stop.Length == 0 ? -1 : content.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first is null || at < first))
            {
                first = at;
            }
        }

        return first;
    }

    private static List<string> KeepBefore(IReadOnlyList<string> chunks, int end)
    {
        var kept = new List<string>();
        var start = 0;
        foreach (var chunk in chunks)
        {
            if (start >= end)
            {
                break;
            }

            kept.Add(start + chunk.Length <= end ? chunk : chunk[..(end - start)]);
            start += chunk.Length;
        }

        return kept;
    }
}
