using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.AspNetCore.Internal;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// How an OpenAI endpoint names the fields the gateway's errors name as <c>/api/chat</c> does: in
/// snake_case (<c>messages[1].toolCallId</c> is <c>messages[1].tool_call_id</c>), sampling parameters at
/// the top level (<c>options.topP</c> is <c>top_p</c>), the route as <c>model</c>, and each endpoint's own
/// names for its token limit, messages and conversation.
/// </summary>
internal sealed partial class OpenAIFieldNames(IReadOnlyDictionary<string, string> names) : IRequestFieldNames
{
    private const string OptionsPrefix = "options.";

    private static readonly Dictionary<string, string> Shared = new(StringComparer.Ordinal)
    {
        ["modelKey"] = "model",
        ["profileId"] = "model",
    };

    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    public static OpenAIFieldNames ChatCompletions { get; } = new(new Dictionary<string, string>(Shared)
    {
        ["options.maxTokens"] = "max_completion_tokens",
    });

    /// <summary><c>POST /v1/responses</c>: the messages are its <c>input</c>, the stored conversation its <c>previous_response_id</c>.</summary>
    public static OpenAIFieldNames Responses { get; } = new(new Dictionary<string, string>(Shared)
    {
        ["options.maxTokens"] = "max_output_tokens",
        ["messages"] = "input",
        ["conversationId"] = "previous_response_id",
        ["parentId"] = "previous_response_id",
    });

    public string Rename(string field)
    {
        if (names.TryGetValue(field, out var renamed))
        {
            return renamed;
        }

        // messages[2].role: the leading name maps, the rest of the path is spelled the endpoint's way.
        var end = field.AsSpan().IndexOfAny('.', '[');
        if (end > 0 && names.TryGetValue(field[..end], out var head))
        {
            return head + SnakeCase(field[end..]);
        }

        return SnakeCase(field.StartsWith(OptionsPrefix, StringComparison.Ordinal) ? field[OptionsPrefix.Length..] : field);
    }

    private static string SnakeCase(string path) =>
        Name().Replace(path, static name => JsonNamingPolicy.SnakeCaseLower.ConvertName(name.Value));

    [GeneratedRegex("[A-Za-z][A-Za-z0-9]*")]
    private static partial Regex Name();
}
