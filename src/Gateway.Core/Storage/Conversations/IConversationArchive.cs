namespace Gateway.Core.Storage.Conversations;

/// <summary>Export and import of whole conversations, for backups and moving between gateways.</summary>
public interface IConversationArchive
{
    /// <summary>
    /// Every conversation (or those in <paramref name="conversationIds"/>) with all its messages, on every
    /// branch, in id order. Streams: one conversation is in memory at a time.
    /// </summary>
    IAsyncEnumerable<ArchivedConversation> ExportAsync(IReadOnlyCollection<string>? conversationIds = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="conversations"/> in one transaction: if the sequence throws (a malformed
    /// file) or anything fails, nothing is written. Idempotent: a conversation whose id, or whose
    /// <see cref="ArchivedConversation.ContentHash"/>, is already stored is not added again; new messages
    /// of an already stored conversation are added, known message ids are skipped. The search index
    /// may catch up after the import commits (see <see cref="MessageSearchResults.PendingIndexMessages"/>).
    /// </summary>
    Task<ImportResult> ImportAsync(IAsyncEnumerable<ArchivedConversation> conversations, CancellationToken cancellationToken = default);
}
