using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat.Internal;

/// <summary>
/// The one rule for parameters a route cannot honour: refuse the request with
/// <c>unsupported_parameter</c> naming the parameter, or — when dropping is on — send the request
/// without it and say so. A request that sets nothing unsupported passes untouched, without allocating.
/// </summary>
internal static class ChatParameterRule
{
    /// <summary>The parameters with a <see cref="ChatOptions"/> property of their own: whether a request sets one, and how to take it out.</summary>
    private static readonly (string Name, Func<ChatOptions, bool> IsSet, Action<ChatOptions> Clear)[] Properties =
    [
        (ChatParameterNames.ResponseFormat, static o => o.ResponseFormat is not (null or ChatResponseFormatText), static o => o.ResponseFormat = null),
        (ChatParameterNames.Seed, static o => o.Seed is not null, static o => o.Seed = null),
        (ChatParameterNames.PresencePenalty, static o => o.PresencePenalty is not null, static o => o.PresencePenalty = null),
        (ChatParameterNames.FrequencyPenalty, static o => o.FrequencyPenalty is not null, static o => o.FrequencyPenalty = null),
        (ChatParameterNames.TopK, static o => o.TopK is not null, static o => o.TopK = null),
        (ChatParameterNames.Stop, static o => o.StopSequences is { Count: > 0 }, static o => o.StopSequences = null),
        (ChatParameterNames.ToolChoice, static o => o.ToolMode is RequiredChatToolMode, static o => o.ToolMode = null),
    ];

    /// <summary>The parameters carried in <see cref="ChatOptions.AdditionalProperties"/> that the gateway knows by name.</summary>
    private static readonly string[] KnownMembers =
        [ChatParameterNames.Logprobs, ChatParameterNames.TopLogprobs, ChatParameterNames.User, ChatParameterNames.N];

    public static bool IsKnown(string parameter) =>
        KnownMembers.Contains(parameter) || Properties.Any(property => property.Name == parameter);

    /// <exception cref="GatewayException"><c>unsupported_parameter</c>: the route cannot honour a parameter and <paramref name="drop"/> is off.</exception>
    public static SupportedChatOptions Apply(ModelRoute route, ChatOptions? options, ChatParameterSupport support, bool drop)
    {
        if (options is null)
        {
            return new SupportedChatOptions(options, []);
        }

        List<string>? refused = null;
        foreach (var (name, isSet, _) in Properties)
        {
            if (isSet(options) && !support.Supports(name))
            {
                (refused ??= []).Add(name);
            }
        }

        if (options.AdditionalProperties is { Count: > 0 } members)
        {
            foreach (var name in members.Keys)
            {
                // The strictness of a schema belongs to response_format, which is checked above.
                if (name != ChatParameterNames.StrictJsonSchema && !support.Supports(name))
                {
                    (refused ??= []).Add(name);
                }
            }
        }

        if (refused is null)
        {
            return new SupportedChatOptions(options, []);
        }

        if (!drop)
        {
            throw Unsupported(route, refused);
        }

        var kept = options.Clone();
        foreach (var (name, _, clear) in Properties)
        {
            if (refused.Contains(name))
            {
                clear(kept);
            }
        }

        if (kept.AdditionalProperties is not null)
        {
            var keptMembers = new AdditionalPropertiesDictionary(kept.AdditionalProperties);
            foreach (var name in refused)
            {
                keptMembers.Remove(name);
            }

            if (kept.ResponseFormat is null)
            {
                keptMembers.Remove(ChatParameterNames.StrictJsonSchema);
            }

            kept.AdditionalProperties = keptMembers.Count > 0 ? keptMembers : null;
        }

        return new SupportedChatOptions(kept, refused);
    }

    private static GatewayException Unsupported(ModelRoute route, List<string> refused) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.UnsupportedParameter,
        $"{refused[0]}: the route '{route.Key}' ({route.Provider}) cannot honour "
            + (refused.Count == 1 ? "this parameter" : $"it, nor {string.Join(", ", refused.Skip(1))}")
            + ". Leave it out, use a route that supports it, or set DROP_UNSUPPORTED_PARAMS=true to have the gateway drop what a route cannot honour.",
        new Dictionary<string, object?> { ["param"] = refused[0], ["unsupportedParameters"] = refused.ToArray() });
}
