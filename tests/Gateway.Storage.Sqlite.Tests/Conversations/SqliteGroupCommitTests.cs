using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite.Conversations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Storage.Sqlite.Tests.Conversations;

/// <summary>
/// Appends share transactions (group commit). To make a batch form deterministically, a second
/// connection holds the write lock while appends queue: the writer is stuck in BEGIN with whatever it
/// took, and everything queued behind lands in the next batch (at most <see cref="GroupCommitWriter.MaxBatch"/>).
/// </summary>
public sealed class SqliteGroupCommitTests : IAsyncLifetime
{
    private SqliteStoreUnderTest _store = null!;

    private IConversationStore Store => _store.Conversations;

    public async Task InitializeAsync() => _store = await SqliteStoreUnderTest.CreateAsync(TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task AppendMessage_EightConcurrentAppendersOverFourConversations_AllLandInOrderWithCountsAndChains()
    {
        var conversations = new List<Conversation>();
        for (var c = 0; c < 4; c++)
        {
            conversations.Add(await Store.CreateConversationAsync(new NewConversation($"conversation {c}")));
        }

        var appended = await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var mine = new List<ConversationMessage>();
            for (var i = 0; i < 200; i++)
            {
                mine.Add(await Store.AppendMessageAsync(conversations[writer % 4].Id, new NewMessage("user", $"writer{writer} step{i} tangerine")));
            }

            return mine;
        })));

        Assert.Equal(1600, appended.SelectMany(messages => messages).Select(message => message.Id).Distinct().Count());
        for (var c = 0; c < 4; c++)
        {
            var stored = (await Store.GetConversationAsync(conversations[c].Id))!;
            var branch = await Store.GetBranchAsync(conversations[c].Id);

            // No parent was given, so every append followed the active leaf: one chain of all 400.
            Assert.Equal(400, stored.MessageCount);
            Assert.Equal(400, branch.Count);
            Assert.Null(branch[0].ParentId);
            for (var m = 1; m < branch.Count; m++)
            {
                Assert.Equal(branch[m - 1].Id, branch[m].ParentId);
            }

            Assert.Equal(branch[^1].Id, stored.ActiveMessageId);
            foreach (var writer in new[] { c, c + 4 })
            {
                // Each writer awaited its appends one by one, so its steps appear in its order.
                var steps = branch.Where(message => message.Content.StartsWith($"writer{writer} ", StringComparison.Ordinal)).Select(message => message.Content).ToList();
                Assert.Equal(Enumerable.Range(0, 200).Select(i => $"writer{writer} step{i} tangerine"), steps);
                Assert.Equal(appended[writer].Select(message => message.Id), branch.Where(message => steps.Contains(message.Content)).Select(message => message.Id));
            }
        }

        var hits = await _store.Search.SearchAsync(new MessageSearchQuery("tangerine", Limit: 1));
        Assert.NotEmpty(hits.Hits);
        Assert.Equal(1600L, await ScalarAsync("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'tangerine'"));
        await AssertIndexMatchesMessagesAsync();
    }

    [Fact]
    public async Task AppendMessage_OneBadAppendInABatch_FailsAloneWhileItsBatchMatesCommitAndChain()
    {
        var conversation = await Store.CreateConversationAsync(new NewConversation());
        Task<ConversationMessage> first, second, unknownParent, unknownConversation, third;
        await using (var holder = await HoldWriteLockAsync())
        {
            first = Store.AppendMessageAsync(conversation.Id, new NewMessage("user", "first apricot"));
            second = Store.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "second apricot"));
            unknownParent = Store.AppendMessageAsync(conversation.Id, new NewMessage("user", "orphan apricot", ParentId: SortableId.Create(TimeProvider.System)));
            unknownConversation = Store.AppendMessageAsync(SortableId.Create(TimeProvider.System), new NewMessage("user", "lost apricot"));
            third = Store.AppendMessageAsync(conversation.Id, new NewMessage("user", "third apricot"));
            await ReleaseAsync(holder);
        }

        var parentError = await Assert.ThrowsAsync<GatewayException>(() => unknownParent);
        var conversationError = await Assert.ThrowsAsync<GatewayException>(() => unknownConversation);
        Assert.Equal(GatewayErrorCodes.MessageNotFound, parentError.ErrorCode);
        Assert.Equal(GatewayErrorCodes.ConversationNotFound, conversationError.ErrorCode);

        // The failed appends rolled back to their savepoints; the chain skips them.
        Assert.Null((await first).ParentId);
        Assert.Equal((await first).Id, (await second).ParentId);
        Assert.Equal((await second).Id, (await third).ParentId);
        var stored = (await Store.GetConversationAsync(conversation.Id))!;
        Assert.Equal(3, stored.MessageCount);
        Assert.Equal((await third).Id, stored.ActiveMessageId);
        Assert.Equal(["first apricot", "second apricot", "third apricot"], (await Store.GetBranchAsync(conversation.Id)).Select(message => message.Content));
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM messages"));
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'apricot'"));
        await AssertIndexMatchesMessagesAsync();
    }

    [Fact]
    public async Task WriteGroupedAsync_WritesThatFailAfterWriting_RollBackOnlyTheirOwnRowsAndSearchEntries()
    {
        var conversation = await Store.CreateConversationAsync(new NewConversation());
        const string InsertMessage = """
            INSERT INTO messages (seq, id, conversation_id, role, content, created_at)
            VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM messages), $id, $conversation, 'user', $content, '2024-01-01T00:00:00.0000000Z')
            """;
        Task<ConversationMessage> before, after;
        Task<int> throws, violates;
        await using (var holder = await HoldWriteLockAsync())
        {
            before = Store.AppendMessageAsync(conversation.Id, new NewMessage("user", "before plum"));
            throws = _store.Database.WriteGroupedAsync<int>(batch =>
            {
                batch.Execute(InsertMessage, ("$id", SortableId.Create(TimeProvider.System)), ("$conversation", conversation.Id), ("$content", "rolled back plum"));
                throw new InvalidOperationException("after writing");
            });
            violates = _store.Database.WriteGroupedAsync(batch =>
            {
                batch.Execute(InsertMessage, ("$id", SortableId.Create(TimeProvider.System)), ("$conversation", conversation.Id), ("$content", "duplicate plum"));
                return batch.Execute("INSERT INTO conversations (id, created_at, updated_at) VALUES ($id, 'x', 'x')", ("$id", conversation.Id));
            });
            after = Store.AppendMessageAsync(conversation.Id, new NewMessage("user", "after plum"));
            await ReleaseAsync(holder);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => throws);
        var constraint = await Assert.ThrowsAsync<SqliteException>(() => violates);
        Assert.Equal(19, constraint.SqliteErrorCode);
        Assert.Equal((await before).Id, (await after).ParentId);
        Assert.Equal(2, (await Store.GetConversationAsync(conversation.Id))!.MessageCount);
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM messages"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'plum'"));
        await AssertIndexMatchesMessagesAsync();
    }

    [Fact]
    public async Task AppendMessage_DatabaseBusyPastEveryRetry_FailsEveryAppendOfTheBatchWithStorageBusyAndWritesNothing()
    {
        var a = await Store.CreateConversationAsync(new NewConversation());
        var b = await Store.CreateConversationAsync(new NewConversation());
        await using (var holder = await HoldWriteLockAsync())
        {
            var appends = Enumerable.Range(0, 6)
                .Select(i => Store.AppendMessageAsync(i % 2 == 0 ? a.Id : b.Id, new NewMessage("user", $"blocked fig {i}")))
                .ToList();

            foreach (var append in appends)
            {
                var error = await Assert.ThrowsAsync<GatewayException>(() => append);
                Assert.Equal(GatewayErrorCodes.StorageBusy, error.ErrorCode);
                Assert.Equal(GatewayErrorKind.Unavailable, error.Kind);
                Assert.IsType<SqliteException>(error.InnerException);
            }

            await ReleaseAsync(holder);
        }

        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM messages"));
        Assert.Equal(0, (await Store.GetConversationAsync(a.Id))!.MessageCount);
        Assert.Equal(0, (await Store.GetConversationAsync(b.Id))!.MessageCount);

        // The writer lives on: the next append starts a fresh chain.
        var after = await Store.AppendMessageAsync(a.Id, new NewMessage("user", "after the lock"));
        Assert.Null(after.ParentId);
        Assert.Equal(1, (await Store.GetConversationAsync(a.Id))!.MessageCount);
        await AssertIndexMatchesMessagesAsync();
    }

    [Fact]
    public async Task AppendMessage_CancelledWhileQueued_IsCancelledAtOnceAndNeverWritten()
    {
        var conversation = await Store.CreateConversationAsync(new NewConversation());
        using var cancellation = new CancellationTokenSource();
        List<Task<ConversationMessage>> ahead;
        Task<ConversationMessage> cancelled;
        await using (var holder = await HoldWriteLockAsync())
        {
            // A full batch ahead of it: the writer cannot take the cancelled append while the lock is held.
            ahead = Enumerable.Range(0, GroupCommitWriter.MaxBatch)
                .Select(i => Store.AppendMessageAsync(conversation.Id, new NewMessage("user", $"ahead {i}")))
                .ToList();
            cancelled = Store.AppendMessageAsync(conversation.Id, new NewMessage("user", "cancelled quince"), cancellation.Token);

            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
            Assert.True(cancelled.IsCanceled);
            Assert.All(ahead, append => Assert.False(append.IsCompleted));
            await ReleaseAsync(holder);
        }

        await Task.WhenAll(ahead);
        Assert.Equal(GroupCommitWriter.MaxBatch, (await Store.GetConversationAsync(conversation.Id))!.MessageCount);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM messages WHERE content = 'cancelled quince'"));
        Assert.Equal((await ahead[^1]).Id, (await Store.GetConversationAsync(conversation.Id))!.ActiveMessageId);
    }

    [Fact]
    public async Task AppendMessage_TokenAlreadyCancelled_ReturnsACancelledTaskAndWritesNothing()
    {
        var conversation = await Store.CreateConversationAsync(new NewConversation());

        var append = Store.AppendMessageAsync(conversation.Id, new NewMessage("user", "never"), new CancellationToken(canceled: true));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => append);
        Assert.Equal(0, (await Store.GetConversationAsync(conversation.Id))!.MessageCount);
    }

    [Fact]
    public async Task DisposeAsync_WithAppendsQueued_CommitsThemThenRefusesNewAppends()
    {
        var conversation = await Store.CreateConversationAsync(new NewConversation());
        var queued = Enumerable.Range(0, 50)
            .Select(i => Store.AppendMessageAsync(conversation.Id, new NewMessage("user", $"queued {i}")))
            .ToList();

        await _store.Database.DisposeAsync();

        Assert.All(queued, append => Assert.True(append.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.AppendMessageAsync(conversation.Id, new NewMessage("user", "too late")));
        Assert.Equal(50, (await Store.GetConversationAsync(conversation.Id))!.MessageCount);
    }

    [Fact]
    public async Task AppendMessage_DatabaseDisposedBeforeAnyAppend_ReturnsAFaultedTaskAndStartsNoWriter()
    {
        var conversation = await Store.CreateConversationAsync(new NewConversation());
        await _store.Database.DisposeAsync();

        var append = Store.AppendMessageAsync(conversation.Id, new NewMessage("user", "never"));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => append);
        Assert.Equal(0, (await Store.GetConversationAsync(conversation.Id))!.MessageCount);
    }

    [Fact]
    public async Task WriteGroupedAsync_FirstCallersAsyncLocals_DoNotFlowIntoTheWriter()
    {
        var local = new AsyncLocal<string?> { Value = "the caller that started the writer" };

        var seenByFirst = await _store.Database.WriteGroupedAsync(_ => local.Value);
        var seenByLater = await _store.Database.WriteGroupedAsync(_ => local.Value);

        Assert.Null(seenByFirst);
        Assert.Null(seenByLater);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddSqliteStorage_ProviderDisposed_CommitsQueuedAppendsAndStopsTheWriter(bool disposeAsync)
    {
        var provider = new ServiceCollection().AddGateway()
            .AddSqliteStorage(options => (options.Path, options.MigrateOnStart) = (_store.Database.Path, false))
            .Services.BuildServiceProvider();
        var store = provider.GetRequiredService<IConversationStore>();
        var conversation = await store.CreateConversationAsync(new NewConversation());
        var queued = Enumerable.Range(0, 20).Select(i => store.AppendMessageAsync(conversation.Id, new NewMessage("user", $"queued {i}"))).ToList();

        if (disposeAsync)
        {
            await provider.DisposeAsync();
        }
        else
        {
            // Synchronous disposal only stops the writer; what was queued still commits.
            provider.Dispose();
        }

        await Task.WhenAll(queued);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AppendMessageAsync(conversation.Id, new NewMessage("user", "too late")));
        Assert.Equal(20, (await Store.GetConversationAsync(conversation.Id))!.MessageCount);
    }

    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var holder = new SqliteConnection($"Data Source={_store.Database.Path};Pooling=False");
        await holder.OpenAsync();
        await using var begin = holder.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();
        return holder;
    }

    private static async Task ReleaseAsync(SqliteConnection holder)
    {
        await using var rollback = holder.CreateCommand();
        rollback.CommandText = "ROLLBACK";
        await rollback.ExecuteNonQueryAsync();
    }

    private async Task AssertIndexMatchesMessagesAsync()
    {
        // rank = 1: FTS5 also checks that the index holds exactly the external content table's rows.
        await using var connection = await _store.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)";
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await _store.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
