using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat.Retrieval;

/// <summary>
/// The retrieval step of a chat turn: decides whether the turn retrieves (an explicit request, else its
/// space's collections when <see cref="ChatContextOptions.FromSpace"/> is on), checks the request, asks the
/// <see cref="IChatContextRetriever"/> with the question, and gives back the messages to send with the
/// context in them and the citations of the reply.
/// </summary>
internal sealed class ChatTurnRetrieval(IChatContextRetriever? retriever, ChatContextOptions options)
{
    /// <summary>The messages to send and the reply's citations; the citations are <see langword="null"/> when the turn did not retrieve.</summary>
    /// <exception cref="GatewayException">The request's <c>rag</c> member is invalid, names what cannot be searched, or retrieval is not configured.</exception>
    public async ValueTask<(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<MessageCitation>? Citations)> ApplyAsync(
        ChatRetrievalRequest? request, string? spaceId, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        if (request is { Enabled: false } || (request is null && (retriever is null || spaceId is null || !options.FromSpace)))
        {
            return (messages, null);
        }

        if (request is not null)
        {
            Validate(request);
        }

        if (retriever is null)
        {
            throw GatewayException.InvalidField("rag", "retrieval is not configured on this gateway (register Gateway.Rag with AddRag()).");
        }

        var question = messages.LastOrDefault(message => message.Role == ChatRole.User)?.Text;
        if (string.IsNullOrWhiteSpace(question))
        {
            return request is null
                ? (messages, null)
                : throw GatewayException.InvalidField("rag", "retrieval searches for the turn's last user message, and this turn has none with text.");
        }

        var query = new ChatContextQuery(
            question, spaceId, request?.CollectionIds?.Distinct(StringComparer.Ordinal).ToList(), request?.K ?? options.DefaultK,
            request?.Filter, request?.MinScore ?? options.MinScore);
        var context = await retriever.RetrieveAsync(query, cancellationToken).ConfigureAwait(false);
        if (context is null)
        {
            return request is null
                ? (messages, null)
                : throw GatewayException.InvalidField("rag.collectionIds", spaceId is null
                    ? "name the collections to search: the turn runs in no space."
                    : $"name the collections to search: space '{spaceId}' has none.");
        }

        return (ChatContextPrompt.Inject(messages, ChatContextPrompt.Render(context, question, options)), ChatContextPrompt.Citations(context));
    }

    private static void Validate(ChatRetrievalRequest request)
    {
        if (request.K is < 1 or > RagRules.MaxK)
        {
            throw GatewayException.InvalidField("rag.k", $"expected 1 to {RagRules.MaxK}.");
        }

        if (request.MinScore is { } minScore && !double.IsFinite(minScore))
        {
            throw GatewayException.InvalidField("rag.minScore", "expected a finite number.");
        }

        if (request.CollectionIds is { } ids)
        {
            if (ids.Count == 0)
            {
                throw GatewayException.InvalidField("rag.collectionIds", "expected at least one collection id; leave it out to search the space's collections.");
            }

            for (var i = 0; i < ids.Count; i++)
            {
                if (string.IsNullOrEmpty(ids[i]))
                {
                    throw GatewayException.InvalidField($"rag.collectionIds[{i}]", "expected a collection id.");
                }
            }
        }
    }
}
