using System.Text;
using Gateway.Core.Storage.Conversations;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// Collects what a reply brought, content by content as it streams (or from a whole response), and turns
/// it into the messages to store: the assistant's text and tool calls, and — when a step of the pipeline
/// ran the tools itself (<c>FunctionInvokingChatClient</c>) — each tool result and the assistant message
/// after it, in the order they came.
/// </summary>
internal sealed class ReplyRecorder
{
    private readonly List<AIContent> _contents = [];

    /// <summary>The usage the upstream reported last.</summary>
    public UsageDetails? Usage { get; set; }

    /// <summary>Whether any text, tool call or tool result arrived.</summary>
    public bool HasContent => _contents.Count > 0;

    /// <summary>Takes one content of the reply; what is not text, a tool call, a tool result or usage is not stored.</summary>
    public void Add(AIContent content)
    {
        switch (content)
        {
            case TextContent { Text.Length: > 0 } or FunctionCallContent or FunctionResultContent:
                _contents.Add(content);
                break;
            case UsageContent usage:
                Usage = usage.Details;
                break;
        }
    }

    /// <summary>
    /// The messages to store, in order; the assistant ones carry <paramref name="modelKey"/>, the last one
    /// <paramref name="status"/> and the usage. A reply without any content is one empty assistant message.
    /// </summary>
    /// <param name="modelKey">The route that answered.</param>
    /// <param name="status">How the reply ended.</param>
    /// <param name="sent">The messages sent upstream, whose tool calls name the functions of the results.</param>
    public List<NewMessage> ToMessages(string modelKey, MessageStatus status, IEnumerable<ChatMessage> sent)
    {
        var messages = new List<NewMessage>();
        var text = new StringBuilder();
        var calls = new List<StoredToolCall>();
        Dictionary<string, string>? toolNames = null;

        void CloseAssistant()
        {
            if (text.Length > 0 || calls.Count > 0)
            {
                messages.Add(new NewMessage(ChatRole.Assistant.Value, text.ToString(), ModelKey: modelKey, ToolCalls: calls.Count > 0 ? [.. calls] : null));
                text.Clear();
                calls.Clear();
            }
        }

        foreach (var content in _contents)
        {
            switch (content)
            {
                case TextContent part:
                    text.Append(part.Text);
                    break;
                case FunctionCallContent call:
                    // A call that arrives again under its id replaces the earlier one: the id is the call.
                    calls.RemoveAll(earlier => earlier.Id == call.CallId);
                    calls.Add(StoredChatMessages.ToStored(call));
                    break;
                case FunctionResultContent result:
                    CloseAssistant();
                    toolNames ??= StoredChatMessages.ToolNames(sent.Concat([new ChatMessage(ChatRole.Assistant, _contents)]));
                    messages.Add(StoredChatMessages.ToolResult(result, toolNames));
                    break;
            }
        }

        CloseAssistant();
        if (messages.Count == 0)
        {
            messages.Add(new NewMessage(ChatRole.Assistant.Value, string.Empty, ModelKey: modelKey));
        }

        messages[^1] = messages[^1] with { Status = status, InputTokens = Usage?.InputTokenCount, OutputTokens = Usage?.OutputTokenCount };
        return messages;
    }
}
