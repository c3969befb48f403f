using Gateway.Core.Storage.Rag;

namespace Gateway.Core.Chat.Retrieval;

/// <summary>One passage a chat turn answers from.</summary>
/// <param name="ChunkId">The chunk it is.</param>
/// <param name="DocumentId">The document it is a piece of.</param>
/// <param name="DocumentName">The document's name.</param>
/// <param name="CollectionId">The collection that holds the document.</param>
/// <param name="Text">Its text, as the model is given it.</param>
/// <param name="Score">How well it matched (the retrieval's own scale; higher is better).</param>
/// <param name="Citation">Where it sits in the document.</param>
public sealed record ChatContextPassage(
    string ChunkId, string DocumentId, string DocumentName, string CollectionId, string Text, double Score, ChunkCitation Citation);
