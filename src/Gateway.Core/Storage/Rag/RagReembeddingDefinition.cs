namespace Gateway.Core.Storage.Rag;

/// <summary>What a re-embedding moves a collection to, and which job owns it.</summary>
/// <param name="EmbeddingModel">The model the new vectors come from; not the collection's current one.</param>
/// <param name="Dimensions">That model's dimensions, 1 to <see cref="RagRules.MaxDimensions"/>.</param>
/// <param name="JobId">The job that runs it.</param>
/// <param name="ReplacesJobId">
/// The job of a re-embedding the caller found finished (failed, cancelled, gone) and takes over from: that one's
/// pending vectors are dropped. Any other job's re-embedding is <see cref="Errors.GatewayErrorCodes.ReembeddingInProgress"/>.
/// </param>
public sealed record RagReembeddingDefinition(string EmbeddingModel, int Dimensions, string JobId, string? ReplacesJobId = null);
