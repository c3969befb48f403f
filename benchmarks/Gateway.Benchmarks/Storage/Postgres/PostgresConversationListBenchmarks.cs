using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Postgres;
using Gateway.Storage.Postgres.Conversations;
using Npgsql;

namespace Gateway.Benchmarks.Storage.Postgres;

/// <summary>
/// <see cref="ConversationListBenchmarks"/> on PostgreSQL: a page of 50 from the 1,000,000-message
/// corpus, a conversation's active branch and the newest conversations (first page and page 201),
/// each against the bare keyset SELECT of the same rows.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(WriteConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PostgresConversationListBenchmarks : ConversationListBenchmarkSuite
{
    private PostgresDatabase _database = null!;
    private NpgsqlConnection _raw = null!;
    private NpgsqlCommand _rawMessages = null!;
    private NpgsqlCommand _rawConversations = null!;

    /// <inheritdoc />
    protected override IConversationStore Open()
    {
        var connectionString = PostgresSearchCorpus.Ensure(Console.Out);
        _database = PostgresDatabase.Create(connectionString);
        var store = new PostgresConversationStore(_database);
        _raw = new NpgsqlConnection(connectionString);
        _raw.Open();
        _rawMessages = new NpgsqlCommand("""
            SELECT seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at
            FROM messages WHERE conversation_id = @conversation ORDER BY seq LIMIT 50
            """, _raw);
        _rawMessages.Parameters.AddWithValue("conversation", ConversationId);
        _rawConversations = new NpgsqlCommand("""
            SELECT id, title, space_id, metadata::text, created_at, updated_at, archived, message_count, active_message_id
            FROM conversations WHERE archived = false ORDER BY id DESC LIMIT 50
            """, _raw);

        return store;
    }

    /// <inheritdoc />
    protected override void Close()
    {
        _rawMessages.Dispose();
        _rawConversations.Dispose();
        _raw.Dispose();
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [BenchmarkCategory("Messages"), Benchmark(Baseline = true, Description = "SQL: 50 messages by (conversation, seq)")]
    public int RawMessages() => Drain(_rawMessages);

    [BenchmarkCategory("Conversations"), Benchmark(Baseline = true, Description = "SQL: 50 newest conversations")]
    public int RawConversations() => Drain(_rawConversations);
}
