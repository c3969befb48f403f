using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite;
using Gateway.Storage.Sqlite.Conversations;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Importing 20,000 messages (200 conversations of 100 ~500-byte messages) into a fresh database, per
/// message. Baseline, the FTS5 ceiling: the same rows inserted by bare SQL in one transaction with the
/// index trigger firing. Against it: bare inserts with no index (the write ceiling), the archive
/// import (written, indexing deferred) and the import followed by the indexer's catch-up (end to end).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ImportConfig))]
public class BulkImportBenchmarks
{
    private const int Conversations = 200;
    private const int MessagesPerConversation = 100;
    private const int Messages = Conversations * MessagesPerConversation;

    private readonly List<ArchivedConversation> _archive = [];
    private StorageFiles _files = null!;
    private string _path = null!;

    [GlobalSetup]
    public void Setup()
    {
        _files = new StorageFiles();
        var texts = SearchCorpus.CreateTextSource(11);
        var start = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var metadata = JsonDocument.Parse("{}").RootElement;
        for (var c = 0; c < Conversations; c++)
        {
            var at = start.AddHours(c);
            var conversationId = SortableId.Create(at);
            var messages = new List<ConversationMessage>(MessagesPerConversation);
            string? parent = null;
            for (var m = 0; m < MessagesPerConversation; m++)
            {
                var id = SortableId.Create(at.AddSeconds(m + 1));
                messages.Add(new ConversationMessage(id, conversationId, parent, m % 2 == 0 ? "user" : "assistant", texts(), null, null, null, MessageStatus.Complete, at.AddSeconds(m + 1)));
                parent = id;
            }

            _archive.Add(new ArchivedConversation(
                new Conversation(conversationId, "Imported " + c, null, metadata, at, at.AddSeconds(MessagesPerConversation), false, MessagesPerConversation, parent),
                messages));
        }
    }

    [IterationSetup]
    public void NewDatabase() => _path = _files.NewDatabase();

    [IterationCleanup]
    public void DropDatabase()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _files.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "SQL: INSERT + FTS5 trigger, one transaction")]
    public void RawWithIndex() => RawInsert(deferIndex: false);

    [Benchmark(OperationsPerInvoke = Messages, Description = "SQL: INSERT, no index")]
    public void RawWithoutIndex() => RawInsert(deferIndex: true);

    [Benchmark(OperationsPerInvoke = Messages, Description = "Archive import (written)")]
    public async Task<ImportResult> Import()
    {
        var database = new SqliteDatabase(_path);
        return await new SqliteConversationArchive(database).ImportAsync(Stream());
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "Archive import + index catch-up")]
    public async Task<long> ImportAndIndex()
    {
        var database = new SqliteDatabase(_path);
        var indexer = new SqliteSearchIndexer(database);
        await new SqliteConversationArchive(database, indexer).ImportAsync(Stream());
        return await indexer.CatchUpAsync();
    }

    private async IAsyncEnumerable<ArchivedConversation> Stream()
    {
        foreach (var conversation in _archive)
        {
            yield return conversation;
        }

        await Task.CompletedTask;
    }

    private void RawInsert(bool deferIndex)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = NORMAL";
            pragma.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using var setup = connection.CreateCommand();
        setup.Transaction = transaction;
        setup.CommandText = "UPDATE search_index_state SET deferred = $deferred";
        setup.Parameters.AddWithValue("$deferred", deferIndex ? 1 : 0);
        setup.ExecuteNonQuery();

        using var conversation = connection.CreateCommand();
        conversation.Transaction = transaction;
        conversation.CommandText = "INSERT INTO conversations (id, title, created_at, updated_at, message_count) VALUES ($id, $title, $at, $at, $count)";
        var cId = conversation.Parameters.Add("$id", SqliteType.Text);
        var cTitle = conversation.Parameters.Add("$title", SqliteType.Text);
        var cAt = conversation.Parameters.Add("$at", SqliteType.Text);
        var cCount = conversation.Parameters.Add("$count", SqliteType.Integer);

        using var message = connection.CreateCommand();
        message.Transaction = transaction;
        message.CommandText = "INSERT INTO messages (id, conversation_id, parent_id, role, content, created_at) VALUES ($id, $conversation, $parent, $role, $content, $at)";
        var mId = message.Parameters.Add("$id", SqliteType.Text);
        var mConversation = message.Parameters.Add("$conversation", SqliteType.Text);
        var mParent = message.Parameters.Add("$parent", SqliteType.Text);
        var mRole = message.Parameters.Add("$role", SqliteType.Text);
        var mContent = message.Parameters.Add("$content", SqliteType.Text);
        var mAt = message.Parameters.Add("$at", SqliteType.Text);
        foreach (var archived in _archive)
        {
            cId.Value = archived.Conversation.Id;
            cTitle.Value = archived.Conversation.Title;
            cAt.Value = archived.Conversation.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            cCount.Value = archived.Messages.Count;
            conversation.ExecuteNonQuery();
            foreach (var m in archived.Messages)
            {
                mId.Value = m.Id;
                mConversation.Value = m.ConversationId;
                mParent.Value = (object?)m.ParentId ?? DBNull.Value;
                mRole.Value = m.Role;
                mContent.Value = m.Content;
                mAt.Value = m.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
                message.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }
}
