using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI.Responses;

/// <summary>Builds the <c>response</c> object: the request's settings echoed, the output items, status and usage.</summary>
internal sealed class ResponseBodies(string id, long createdAt, string model, ResponsesRequest request, bool stored, string? messageId = null)
{
    /// <summary>The id of the assistant's message item, the same in every event of a stream (a stored reply's: <c>msg_</c> and its message id).</summary>
    public string MessageId { get; } = messageId ?? "msg_" + Guid.CreateVersion7().ToString("N");

    public string Id => id;

    public ResponseBody InProgress() => Body("in_progress", [], usage: null, error: null, incomplete: null);

    public ResponseBody Failed(IReadOnlyList<ResponseOutputItem> output, string code, string message) =>
        Body("failed", output, usage: null, new ResponseError(code, message), incomplete: null);

    /// <summary><c>completed</c>, or <c>incomplete</c> when the model stopped at the token limit or a content filter.</summary>
    public ResponseBody Finished(IReadOnlyList<ResponseOutputItem> output, ChatFinishReason? finishReason, UsageDetails? usage)
    {
        var incomplete = finishReason == ChatFinishReason.Length ? new ResponseIncompleteDetails("max_output_tokens")
            : finishReason == ChatFinishReason.ContentFilter ? new ResponseIncompleteDetails("content_filter")
            : null;
        return Body(incomplete is null ? "completed" : "incomplete", output, UsageOf(usage), error: null, incomplete);
    }

    /// <summary>
    /// A stored response read back: <c>completed</c>, or <c>incomplete</c> with reason <c>interrupted</c> when its reply
    /// was stored incomplete (the stream broke or the client left).
    /// </summary>
    public ResponseBody Stored(IReadOnlyList<ResponseOutputItem> output, bool complete, UsageDetails? usage) =>
        Body(complete ? "completed" : "incomplete", output, UsageOf(usage), error: null, complete ? null : new ResponseIncompleteDetails("interrupted"));

    /// <summary>The output of a finished response: the message (when it has text or nothing else) and each function call.</summary>
    public List<ResponseOutputItem> Output(string text, IEnumerable<FunctionCallContent> calls, string status)
    {
        var output = new List<ResponseOutputItem>();
        var items = calls.Select(call => (ResponseOutputItem)FunctionCall(call)).ToList();
        if (text.Length > 0 || items.Count == 0)
        {
            output.Add(Message(text, status));
        }

        output.AddRange(items);
        return output;
    }

    public ResponseMessageItem Message(string text, string status) =>
        new(MessageId, status, "assistant", status == "in_progress" && text.Length == 0 ? [] : [OutputText(text)]);

    public static ResponseOutputText OutputText(string text) => new("output_text", text, []);

    public static ResponseFunctionCallItem FunctionCall(FunctionCallContent call, string status = "completed") =>
        new("fc_" + call.CallId, status, call.CallId, call.Name, status == "completed" ? ToolCallJson.ArgumentsOf(call) : string.Empty);

    private static ResponseUsage? UsageOf(UsageDetails? usage)
    {
        if (usage is null)
        {
            return null;
        }

        var input = usage.InputTokenCount ?? 0;
        var output = usage.OutputTokenCount ?? 0;
        return new ResponseUsage(input, new ResponseInputTokensDetails(0), output, new ResponseOutputTokensDetails(0), input + output);
    }

    private ResponseBody Body(string status, IReadOnlyList<ResponseOutputItem> output, ResponseUsage? usage, ResponseError? error, ResponseIncompleteDetails? incomplete) => new(
        id,
        "response",
        createdAt,
        status,
        model,
        output,
        usage,
        error,
        incomplete,
        request.PreviousResponseId,
        request.Instructions,
        request.Temperature,
        request.TopP,
        request.MaxOutputTokens,
        request.ParallelToolCalls ?? true,
        stored);
}
