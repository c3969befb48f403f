using Gateway.Core.Storage.Rag;

namespace Gateway.Rag.Collections;

/// <summary>What a change of a collection did.</summary>
/// <param name="Collection">The collection as it is now: with a re-embedding under way, still on its old model.</param>
/// <param name="Reembedding">The re-embedding the change started (its job, and the model and dimensions it moves to), or <see langword="null"/>.</param>
public sealed record RagCollectionUpdate(RagCollection Collection, RagReembedding? Reembedding);
