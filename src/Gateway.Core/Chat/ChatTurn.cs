using Gateway.Core.Routing;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// A chat turn ready to run, from <see cref="ChatService.BeginTurnAsync"/>: the route is resolved,
/// the history loaded and the new messages stored. Run it once, with
/// <see cref="ChatService.CompleteTurnAsync"/> or <see cref="ChatService.StreamTurnAsync"/>.
/// </summary>
public sealed class ChatTurn
{
    internal ChatTurn(
        ChatTarget target, IReadOnlyList<ChatMessage> messages, SupportedChatOptions options, string? conversationId, string? replyParentId,
        IReadOnlyList<MessageCitation>? citations)
    {
        Route = target.Route;
        AnsweringRoute = target.Route.Key;
        Profile = target.Profile;
        Messages = messages;
        Options = options.Options;
        DroppedParameters = options.DroppedParameters;
        ConversationId = conversationId;
        ReplyParentId = replyParentId;
        Citations = citations;
    }

    /// <summary>The route the turn runs on.</summary>
    public ModelRoute Route { get; }

    /// <summary>
    /// The route that answered: <see cref="Route"/>'s key, or the fallback's when every deployment of
    /// <see cref="Route"/> failed before the first byte. Known once the answer (or a stream's first update) has arrived.
    /// </summary>
    public RouteKey AnsweringRoute { get; internal set; }

    /// <summary>The model profile that shaped the turn, if any.</summary>
    public ModelProfile? Profile { get; }

    /// <summary>
    /// Everything sent upstream: the profile's system prompt, the stored history, then the turn's new messages, with the
    /// retrieved context as a system message just before the last user message when the turn retrieved.
    /// </summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>Sampling parameters, less those the route cannot honour when <c>DROP_UNSUPPORTED_PARAMS</c> is on.</summary>
    public ChatOptions? Options { get; }

    /// <summary>The parameters dropped because the route cannot honour them (<see cref="ChatParameterNames"/>); empty when none were.</summary>
    public IReadOnlyList<string> DroppedParameters { get; }

    /// <summary>The conversation the turn is stored in; <see langword="null"/> when it is not stored.</summary>
    public string? ConversationId { get; }

    /// <summary>
    /// The stored reply's id, once the reply has been stored; when a pipeline step ran tools and the reply is
    /// several messages (call, result, answer), the last one's.
    /// </summary>
    public string? ReplyMessageId { get; internal set; }

    /// <summary>
    /// The stored message the reply is stored under, known before the reply starts: the turn's last new message, or
    /// the history's last; <see langword="null"/> when the turn is not stored.
    /// </summary>
    public string? ReplyParentId { get; }

    /// <summary>
    /// The sources the turn retrieved for the reply, numbered as the context the model was given numbers them
    /// (empty when nothing was relevant); <see langword="null"/> when the turn did not retrieve. They are stored
    /// with the reply.
    /// </summary>
    public IReadOnlyList<MessageCitation>? Citations { get; }
}
