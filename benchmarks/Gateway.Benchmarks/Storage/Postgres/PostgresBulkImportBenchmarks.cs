using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Postgres;
using Gateway.Storage.Postgres.Conversations;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Benchmarks.Storage.Postgres;

/// <summary>
/// <see cref="BulkImportBenchmarks"/> on PostgreSQL: importing the same 20,000 messages (200
/// conversations of 100) into a fresh database, per message. Baseline: the same rows by bare binary
/// COPY in one transaction (tsvector generated, GIN maintained) — the ceiling. Against it: the archive
/// import (lookups of what is stored, then COPY per chunk), searchable when it commits.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ImportConfig))]
public class PostgresBulkImportBenchmarks
{
    private const int Conversations = 200;
    private const int MessagesPerConversation = 100;
    private const int Messages = Conversations * MessagesPerConversation;

    private readonly List<ArchivedConversation> _archive = [];
    private string _database = null!;

    [GlobalSetup]
    public void Setup()
    {
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
    public void NewDatabase() => _database = PostgresBench.NewDatabase();

    [IterationCleanup]
    public void DropDatabase() => PostgresBench.DropDatabase(_database);

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "SQL: binary COPY (tsvector + GIN), one transaction")]
    public void RawCopy()
    {
        using var connection = new NpgsqlConnection(_database);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var conversations = connection.BeginBinaryImport("COPY conversations (id, title, created_at, updated_at, message_count) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var archived in _archive)
            {
                conversations.StartRow();
                conversations.Write(archived.Conversation.Id, NpgsqlDbType.Text);
                conversations.Write(archived.Conversation.Title!, NpgsqlDbType.Text);
                conversations.Write(archived.Conversation.CreatedAt, NpgsqlDbType.TimestampTz);
                conversations.Write(archived.Conversation.CreatedAt, NpgsqlDbType.TimestampTz);
                conversations.Write(archived.Messages.Count, NpgsqlDbType.Integer);
            }

            conversations.Complete();
        }

        using (var messages = connection.BeginBinaryImport("COPY messages (id, conversation_id, parent_id, role, content, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var m in _archive.SelectMany(a => a.Messages))
            {
                messages.StartRow();
                messages.Write(m.Id, NpgsqlDbType.Text);
                messages.Write(m.ConversationId, NpgsqlDbType.Text);
                if (m.ParentId is null)
                {
                    messages.WriteNull();
                }
                else
                {
                    messages.Write(m.ParentId, NpgsqlDbType.Text);
                }

                messages.Write(m.Role, NpgsqlDbType.Text);
                messages.Write(m.Content, NpgsqlDbType.Text);
                messages.Write(m.CreatedAt, NpgsqlDbType.TimestampTz);
            }

            messages.Complete();
        }

        transaction.Commit();
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "Archive import (written and searchable)")]
    public async Task<ImportResult> Import()
    {
        await using var database = PostgresDatabase.Create(_database);
        return await new PostgresConversationArchive(database).ImportAsync(Stream());
    }

    private async IAsyncEnumerable<ArchivedConversation> Stream()
    {
        foreach (var conversation in _archive)
        {
            yield return conversation;
        }

        await Task.CompletedTask;
    }
}
