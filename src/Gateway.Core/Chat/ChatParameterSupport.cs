using Gateway.Core.Chat.Internal;

namespace Gateway.Core.Chat;

/// <summary>
/// Which request parameters (<see cref="ChatParameterNames"/>, and any other member a client sent) a
/// provider's chat client honours. A provider's <see cref="Microsoft.Extensions.AI.IChatClient"/> offers it
/// through <c>GetService(typeof(ChatParameterSupport))</c>; a client that offers none honours everything.
/// <see cref="ChatService.ApplyParameterSupport"/> refuses what a route cannot honour with
/// <c>unsupported_parameter</c>, or drops it when <c>DROP_UNSUPPORTED_PARAMS</c> is on.
/// </summary>
public sealed class ChatParameterSupport
{
    private readonly HashSet<string> _unsupported;

    /// <summary>Declares what a provider cannot honour.</summary>
    /// <param name="unsupported">The parameters it cannot honour, by their <see cref="ChatParameterNames"/>.</param>
    /// <param name="forwardsOtherMembers">
    /// Whether request members the gateway does not know (carried in
    /// <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/>) reach the upstream unchanged.
    /// </param>
    public ChatParameterSupport(IEnumerable<string> unsupported, bool forwardsOtherMembers)
    {
        ArgumentNullException.ThrowIfNull(unsupported);
        _unsupported = new HashSet<string>(unsupported, StringComparer.Ordinal);
        ForwardsOtherMembers = forwardsOtherMembers;
    }

    /// <summary>A provider that honours every parameter and forwards every other member, such as an OpenAI-compatible server.</summary>
    public static ChatParameterSupport Everything { get; } = new([], forwardsOtherMembers: true);

    /// <summary>Whether request members the gateway does not know reach the upstream unchanged.</summary>
    public bool ForwardsOtherMembers { get; }

    /// <summary>Whether the provider honours <paramref name="parameter"/>.</summary>
    /// <param name="parameter">One of <see cref="ChatParameterNames"/>, or another member's name.</param>
    public bool Supports(string parameter) =>
        !_unsupported.Contains(parameter) && (ForwardsOtherMembers || ChatParameterRule.IsKnown(parameter));
}
