using Gateway.Core.Chat.Retrieval;
using Gateway.Core.Errors;
using Gateway.Rag.Retrieval;

namespace Gateway.Rag.Chat;

/// <summary>
/// Retrieval for chat turns over <see cref="RagService"/>'s default ranking (hybrid: vector and keyword fused
/// by reciprocal rank fusion), the turn's minimum score applying to the passages' cosine similarity (-1 to 1).
/// A turn that names no collections searches its space's (linked and its own); a space that no longer exists
/// has none. A search error names the chat request's member (<c>rag.collectionIds[0]</c>, <c>rag.minScore</c>).
/// </summary>
internal sealed class RagChatContextRetriever(RagService rag) : IChatContextRetriever
{
    private const string MemberPrefix = "rag.";

    public async ValueTask<ChatContext?> RetrieveAsync(ChatContextQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.CollectionIds is null && query.SpaceId is null)
        {
            return null;
        }

        RagSearchResult result;
        try
        {
            result = await rag.SearchAsync(
                new RagSearchRequest(query.Question, query.CollectionIds, query.CollectionIds is null ? query.SpaceId : null, query.K, query.Filter, MinScore: query.MinScore),
                cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayException error) when (error.ErrorCode == GatewayErrorCodes.SpaceNotFound && query.CollectionIds is null)
        {
            return null;
        }
        catch (GatewayException error) when (error.Extensions.TryGetValue("field", out var field) && field is string name && !name.StartsWith(MemberPrefix, StringComparison.Ordinal))
        {
            throw AsChatMember(error, name);
        }

        if (result.CollectionIds.Count == 0)
        {
            return null;
        }

        return new ChatContext(result.CollectionIds, [.. result.Hits.Select(hit => new ChatContextPassage(
            hit.Chunk.Id, hit.Chunk.DocumentId, hit.DocumentName, hit.Chunk.CollectionId, hit.Chunk.Text, hit.Score, hit.Chunk.Citation))]);
    }

    /// <summary>The same error, its field (and the message that starts with it) under <c>rag.</c>, as the chat request spells it.</summary>
    private static GatewayException AsChatMember(GatewayException error, string field)
    {
        var extensions = error.Extensions.ToDictionary(pair => pair.Key, pair => pair.Value);
        extensions["field"] = MemberPrefix + field;
        var message = error.Message.StartsWith(field, StringComparison.Ordinal) ? MemberPrefix + error.Message : error.Message;
        return new GatewayException(error.Kind, error.ErrorCode, message, extensions, error);
    }
}
