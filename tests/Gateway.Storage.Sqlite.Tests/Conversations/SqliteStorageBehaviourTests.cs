using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests.Conversations;

/// <summary>What only the SQLite backend has: its lock, its deferred search index and the bookkeeping behind it.</summary>
public sealed class SqliteStorageBehaviourTests : IAsyncLifetime
{
    private SqliteStoreUnderTest _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStoreUnderTest.CreateAsync(TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task AppendMessage_WriterHoldsTheLockPastEveryRetry_ThrowsStorageBusyNotSqliteException()
    {
        var conversation = await _store.Conversations.CreateConversationAsync(new NewConversation());
        await using (var holder = new SqliteConnection($"Data Source={_store.Database.Path};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var lockTaken = holder.BeginTransaction(deferred: false);

            var error = await Assert.ThrowsAsync<GatewayException>(
                () => _store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "blocked")));

            Assert.Equal(GatewayErrorCodes.StorageBusy, error.ErrorCode);
            Assert.Equal(GatewayErrorKind.Unavailable, error.Kind);
            Assert.IsType<SqliteException>(error.InnerException);
        }

        var appended = await _store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "after the lock"));
        Assert.Equal(1, (await _store.Conversations.GetConversationAsync(conversation.Id))!.MessageCount);
        Assert.Equal(appended.Id, (await _store.Conversations.GetConversationAsync(conversation.Id))!.ActiveMessageId);
    }

    [Fact]
    public async Task Import_WriterHoldsTheLock_ThrowsStorageBusyAndConsumesNothingTwice()
    {
        var consumed = 0;
        async IAsyncEnumerable<ArchivedConversation> Counted()
        {
            foreach (var conversation in Archive(conversations: 2, messagesEach: 2, word: "locked"))
            {
                consumed++;
                await Task.Yield();
                yield return conversation;
            }
        }

        await using var holder = new SqliteConnection($"Data Source={_store.Database.Path};Pooling=False");
        await holder.OpenAsync();
        await using var lockTaken = holder.BeginTransaction(deferred: false);

        var error = await Assert.ThrowsAsync<GatewayException>(() => _store.Archive.ImportAsync(Counted()));

        Assert.Equal(GatewayErrorCodes.StorageBusy, error.ErrorCode);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public async Task Import_DefersIndexing_UntilCatchUpIndexesEveryBatch()
    {
        var archive = Archive(conversations: 5, messagesEach: 9, word: "kumquat");
        var indexer = new SqliteSearchIndexer(_store.Database, batchSize: 7);

        await _store.Archive.ImportAsync(ToAsync(archive));
        var pendingBefore = await indexer.PendingAsync();
        var before = await _store.Search.SearchAsync(new MessageSearchQuery("kumquat"));
        var indexed = await indexer.CatchUpAsync();
        var after = await _store.Search.SearchAsync(new MessageSearchQuery("kumquat", Limit: 100));

        Assert.Equal(45, pendingBefore);
        Assert.Empty(before.Hits);
        Assert.Equal(45, before.PendingIndexMessages);
        Assert.Equal(45, indexed);
        Assert.Equal(0, await indexer.PendingAsync());
        Assert.Equal(45, after.Hits.Count);
        Assert.Equal(0, after.PendingIndexMessages);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM search_backlog"));
        Assert.Equal(0L, await ScalarAsync("SELECT deferred FROM search_index_state"));
        await AssertIndexMatchesMessagesAsync();
    }

    [Fact]
    public async Task Append_AfterAnImport_IsSearchableAtOnceWhileTheImportWaits()
    {
        await _store.Archive.ImportAsync(ToAsync(Archive(conversations: 1, messagesEach: 3, word: "imported")));
        var conversation = await _store.Conversations.CreateConversationAsync(new NewConversation());

        await _store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "appended persimmon"));

        Assert.Single((await _store.Search.SearchAsync(new MessageSearchQuery("persimmon"))).Hits);
        Assert.Equal(3, await _store.Indexer.PendingAsync());
        await _store.CatchUpSearchIndexAsync();
        await AssertIndexMatchesMessagesAsync();
    }

    [Fact]
    public async Task Delete_ImportedRowsBeforeCatchUp_KeepsTheIndexConsistentAndNeverReusesAQueuedSeq()
    {
        var archive = Archive(conversations: 3, messagesEach: 4, word: "quince");
        await _store.Archive.ImportAsync(ToAsync(archive));
        var queuedUpTo = (long)(await ScalarAsync("SELECT max(last_seq) FROM search_backlog"))!;

        // The newest rows go first, so a naive max(seq) + 1 would hand their seq out again inside the queued range.
        Assert.True(await _store.Conversations.DeleteConversationAsync(archive[^1].Conversation.Id));
        Assert.True(await _store.Conversations.DeleteMessageAsync(archive[0].Conversation.Id, archive[0].Messages[2].Id));
        var appended = await _store.Conversations.AppendMessageAsync(archive[1].Conversation.Id, new NewMessage("user", "quince again"));
        var appendedSeq = (long)(await ScalarAsync("SELECT seq FROM messages WHERE id = $id", appended.Id))!;
        await _store.CatchUpSearchIndexAsync();

        Assert.True(appendedSeq > queuedUpTo);
        Assert.Equal(2 + 4 + 1, (await _store.Search.SearchAsync(new MessageSearchQuery("quince", Limit: 100))).Hits.Count);
        await AssertIndexMatchesMessagesAsync();

        Assert.True(await _store.Conversations.DeleteConversationAsync(archive[1].Conversation.Id));
        Assert.Equal(2, (await _store.Search.SearchAsync(new MessageSearchQuery("quince", Limit: 100))).Hits.Count);
        await AssertIndexMatchesMessagesAsync();
    }

    [Fact]
    public async Task Import_Twice_QueuesSeparateRangesThatCatchUpTogether()
    {
        await _store.Archive.ImportAsync(ToAsync(Archive(conversations: 2, messagesEach: 3, word: "loquat")));
        await _store.Archive.ImportAsync(ToAsync(Archive(conversations: 1, messagesEach: 5, word: "loquat")));

        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM search_backlog"));
        Assert.Equal(11, await _store.Indexer.PendingAsync());
        Assert.Equal(11, await _store.Indexer.CatchUpAsync());
        Assert.Equal(0, await _store.Indexer.CatchUpAsync());
        Assert.Equal(11, (await _store.Search.SearchAsync(new MessageSearchQuery("loquat", Limit: 100))).Hits.Count);
    }

    [Fact]
    public async Task Timestamps_AreStoredAsSortableUtcText()
    {
        var conversation = await _store.Conversations.CreateConversationAsync(new NewConversation());
        await _store.Archive.ImportAsync(ToAsync(Archive(conversations: 1, messagesEach: 1, word: "time")));

        var texts = new List<string>();
        await using (var connection = await _store.Database.OpenAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT created_at FROM conversations ORDER BY created_at";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                texts.Add(reader.GetString(0));
            }
        }

        Assert.Equal(2, texts.Count);
        Assert.All(texts, text => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$", text));
        Assert.Equal("2024-03-01T10:30:15.1230000Z", texts[0]);
        Assert.Equal(conversation.CreatedAt, DateTimeOffset.Parse(texts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Import_TenThousandMessages_WritesThemInOneTransaction()
    {
        var archive = Archive(conversations: 50, messagesEach: 200, word: "bulk");

        var result = await _store.Archive.ImportAsync(ToAsync(archive));

        Assert.Equal(new ImportResult(50, 10_000, 0), result);
        Assert.Equal(10_000, await _store.Indexer.PendingAsync());
        Assert.Equal(10_000L, await ScalarAsync("SELECT count(*) FROM messages"));
    }

    private async Task AssertIndexMatchesMessagesAsync()
    {
        // rank = 1: FTS5 also checks that the index holds exactly the external content table's rows.
        await using var connection = await _store.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)";
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql, string? id = null)
    {
        await using var connection = await _store.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
        return await command.ExecuteScalarAsync();
    }

    private static List<ArchivedConversation> Archive(int conversations, int messagesEach, string word)
    {
        var start = new DateTimeOffset(2024, 3, 1, 10, 30, 15, 123, TimeSpan.Zero);
        var archive = new List<ArchivedConversation>();
        for (var c = 0; c < conversations; c++)
        {
            var created = start.AddMinutes(c);
            var id = SortableId.Create(created);
            var messages = new List<ConversationMessage>();
            for (var m = 0; m < messagesEach; m++)
            {
                messages.Add(new ConversationMessage(SortableId.Create(created.AddSeconds(m)), id, messages.Count == 0 ? null : messages[^1].Id,
                    m % 2 == 0 ? "user" : "assistant", $"{word} number {m} in conversation {c}", null, null, null, MessageStatus.Complete, created.AddSeconds(m)));
            }

            archive.Add(new ArchivedConversation(
                new Conversation(id, null, null, JsonElement.Parse("{}"), created, created, false, messagesEach, null), messages));
        }

        return archive;
    }

    private static async IAsyncEnumerable<ArchivedConversation> ToAsync(IEnumerable<ArchivedConversation> conversations)
    {
        foreach (var conversation in conversations)
        {
            await Task.Yield();
            yield return conversation;
        }
    }
}
