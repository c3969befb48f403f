using Gateway.Core.Errors;

namespace Gateway.Core.Chat.Retrieval;

/// <summary>
/// Finds the passages of the user's documents a chat turn answers from. <see cref="ChatService"/> asks it
/// before the upstream call whenever a turn asks for retrieval or runs in a space, and puts what it returns
/// in front of the question with <see cref="ChatContextOptions"/>' templates. Registered by a retrieval
/// package (Gateway.Rag's <c>AddRag()</c>); without one, a turn that asks for retrieval is refused.
/// </summary>
public interface IChatContextRetriever
{
    /// <summary>
    /// The passages for <paramref name="query"/>, best first: those scoring at least its minimum score,
    /// possibly none. <see langword="null"/> when there is nothing to search: the query names no
    /// collections and its space (when it has one) links none.
    /// </summary>
    /// <exception cref="GatewayException">A collection or filter the query names cannot be searched; the error names the <c>rag.*</c> field.</exception>
    ValueTask<ChatContext?> RetrieveAsync(ChatContextQuery query, CancellationToken cancellationToken = default);
}
