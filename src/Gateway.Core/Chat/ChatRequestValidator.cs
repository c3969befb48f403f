using System.Buffers;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>The rules every chat request obeys, whichever endpoint it came through.</summary>
public static class ChatRequestValidator
{
    /// <summary>The most stop sequences a request may carry.</summary>
    public const int MaxStopSequences = 16;

    /// <summary>The longest tool (function) name, as OpenAI allows it.</summary>
    public const int MaxToolNameLength = 64;

    private static readonly ChatRole[] AcceptedRoles = [ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool];

    private static readonly SearchValues<char> ToolNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    /// <summary>Checks the messages and options, naming the first offending field.</summary>
    /// <remarks>
    /// A <c>tool</c> message carries the results of the calls it answers (<see cref="FunctionResultContent"/>, each with its call id);
    /// an assistant message may carry <see cref="FunctionCallContent"/> and no text. Tools are function declarations
    /// (<see cref="AIFunctionDeclaration"/>) with unique names of 1 to <see cref="MaxToolNameLength"/> letters, digits, <c>_</c> or <c>-</c>.
    /// </remarks>
    /// <exception cref="GatewayException">A rule is broken (<see cref="GatewayErrorKind.InvalidRequest"/>).</exception>
    public static void Validate(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        if (messages.Count == 0)
        {
            throw GatewayException.InvalidField("messages", "at least one message is required.");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            ValidateMessage(messages[i], i);
        }

        if (options is null)
        {
            return;
        }

        if (options.Temperature is < 0 or > 2 || options.Temperature is float t && float.IsNaN(t))
        {
            throw GatewayException.InvalidField("options.temperature", "must be between 0 and 2.");
        }

        if (options.TopP is <= 0 or > 1 || options.TopP is float p && float.IsNaN(p))
        {
            throw GatewayException.InvalidField("options.topP", "must be greater than 0 and at most 1.");
        }

        if (options.MaxOutputTokens is <= 0)
        {
            throw GatewayException.InvalidField("options.maxTokens", "must be a positive number of tokens.");
        }

        if (options.TopK is < 1)
        {
            throw GatewayException.InvalidField("options.topK", "must be 1 or more (the number of most likely tokens to sample from).");
        }

        if (options.StopSequences is { } stop && (stop.Count > MaxStopSequences || stop.Any(string.IsNullOrEmpty)))
        {
            throw GatewayException.InvalidField("options.stop", $"at most {MaxStopSequences} non-empty stop sequences.");
        }

        ValidateTools(options);
    }

    private static void ValidateMessage(ChatMessage message, int index)
    {
        if (!AcceptedRoles.Contains(message.Role))
        {
            throw GatewayException.InvalidField($"messages[{index}].role", $"'{message.Role}' is not a role; use system, user, assistant or tool.");
        }

        var isTool = message.Role == ChatRole.Tool;
        var results = 0;
        var calls = 0;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case FunctionResultContent result:
                    if (!isTool)
                    {
                        throw GatewayException.InvalidField($"messages[{index}].toolCallId", "only a tool message answers a tool call.");
                    }

                    if (string.IsNullOrWhiteSpace(result.CallId))
                    {
                        throw GatewayException.InvalidField($"messages[{index}].toolCallId", "the id of the tool call this result answers is required.");
                    }

                    results++;
                    break;
                case FunctionCallContent call:
                    if (message.Role != ChatRole.Assistant)
                    {
                        throw GatewayException.InvalidField($"messages[{index}].toolCalls", "only an assistant message calls tools.");
                    }

                    if (string.IsNullOrWhiteSpace(call.CallId))
                    {
                        throw GatewayException.InvalidField($"messages[{index}].toolCalls[{calls}].id", "every tool call needs its id.");
                    }

                    if (string.IsNullOrWhiteSpace(call.Name))
                    {
                        throw GatewayException.InvalidField($"messages[{index}].toolCalls[{calls}].name", "every tool call names its tool.");
                    }

                    calls++;
                    break;
            }
        }

        if (isTool && results == 0)
        {
            throw GatewayException.InvalidField($"messages[{index}].toolCallId", "a tool message answers a tool call: the call's id is required.");
        }
    }

    private static void ValidateTools(ChatOptions options)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var tools = options.Tools ?? [];
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i] is not AIFunctionDeclaration function)
            {
                throw GatewayException.InvalidField($"tools[{i}]", $"only function tools can be sent upstream, not '{tools[i]?.GetType().Name}'.");
            }

            var name = function.Name;
            if (string.IsNullOrEmpty(name) || name.Length > MaxToolNameLength || name.AsSpan().ContainsAnyExcept(ToolNameCharacters))
            {
                throw GatewayException.InvalidField(
                    $"tools[{i}].name", $"'{name}' is not a tool name: 1 to {MaxToolNameLength} letters, digits, '_' or '-'.");
            }

            if (!names.Add(name))
            {
                throw GatewayException.InvalidField($"tools[{i}].name", $"another tool is named '{name}' already; tool names are unique.");
            }
        }

        switch (options.ToolMode)
        {
            case RequiredChatToolMode { RequiredFunctionName: { } required } when !names.Contains(required):
                throw GatewayException.InvalidField("toolChoice", $"names the tool '{required}', which is not in tools.");
            case RequiredChatToolMode when names.Count == 0:
                throw GatewayException.InvalidField("toolChoice", "requires a tool call, but the request has no tools.");
        }
    }
}
