using Gateway.Core.Storage.Rag;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// One source an assistant reply was given to answer from: a passage of a document in a RAG collection,
/// numbered as the reply cites it (<c>[1]</c>, <c>[2]</c>, …). Stored with the assistant message.
/// </summary>
/// <param name="Index">The 1-based number the passage had in the context the model was given.</param>
/// <param name="ChunkId">The chunk the passage is.</param>
/// <param name="DocumentId">The document it is a piece of.</param>
/// <param name="DocumentName">The document's name when the reply was written.</param>
/// <param name="CollectionId">The collection that holds the document.</param>
/// <param name="Citation">Where the passage sits in the document.</param>
public sealed record MessageCitation(int Index, string ChunkId, string DocumentId, string DocumentName, string CollectionId, ChunkCitation Citation);
