using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>The rules every chat request obeys, whichever endpoint it came through.</summary>
public static class ChatRequestValidator
{
    /// <summary>The most stop sequences a request may carry.</summary>
    public const int MaxStopSequences = 16;

    private static readonly ChatRole[] AcceptedRoles = [ChatRole.System, ChatRole.User, ChatRole.Assistant];

    /// <summary>Checks the messages and options, naming the first offending field.</summary>
    /// <exception cref="GatewayException">A rule is broken (<see cref="GatewayErrorKind.InvalidRequest"/>).</exception>
    public static void Validate(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        if (messages.Count == 0)
        {
            throw GatewayException.InvalidField("messages", "at least one message is required.");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (!AcceptedRoles.Contains(messages[i].Role))
            {
                throw GatewayException.InvalidField($"messages[{i}].role", $"'{messages[i].Role}' is not a role; use system, user or assistant.");
            }
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
    }
}
