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
public class PostgresConversationListBenchmarks
{
    private PostgresDatabase _database = null!;
    private PostgresConversationStore _store = null!;
    private NpgsqlConnection _raw = null!;
    private NpgsqlCommand _rawMessages = null!;
    private NpgsqlCommand _rawConversations = null!;
    private string _conversationId = null!;
    private string _deepCursor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var connectionString = PostgresSearchCorpus.Ensure(Console.Out);
        _database = PostgresDatabase.Create(connectionString);
        _store = new PostgresConversationStore(_database);
        _conversationId = SearchCorpus.ConversationId(SearchCorpus.ConversationCount / 2);
        _raw = new NpgsqlConnection(connectionString);
        _raw.Open();
        _rawMessages = new NpgsqlCommand("""
            SELECT seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at
            FROM messages WHERE conversation_id = @conversation ORDER BY seq LIMIT 50
            """, _raw);
        _rawMessages.Parameters.AddWithValue("conversation", _conversationId);
        _rawConversations = new NpgsqlCommand("""
            SELECT id, title, space_id, metadata::text, created_at, updated_at, archived, message_count, active_message_id
            FROM conversations WHERE archived = false ORDER BY id DESC LIMIT 50
            """, _raw);

        var page = _store.ListConversationsAsync(new ConversationQuery(Limit: 200)).GetAwaiter().GetResult();
        for (var i = 1; i < 50; i++)
        {
            page = _store.ListConversationsAsync(new ConversationQuery(Limit: 200, Cursor: page.NextCursor)).GetAwaiter().GetResult();
        }

        _deepCursor = page.NextCursor!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rawMessages.Dispose();
        _rawConversations.Dispose();
        _raw.Dispose();
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [BenchmarkCategory("Messages"), Benchmark(Baseline = true, Description = "SQL: 50 messages by (conversation, seq)")]
    public int RawMessages() => Drain(_rawMessages);

    [BenchmarkCategory("Messages"), Benchmark(Description = "Store: ListMessagesAsync, active branch")]
    public async Task<int> ListMessages() => (await _store.ListMessagesAsync(_conversationId, new MessageQuery(Limit: 50))).Items.Count;

    [BenchmarkCategory("Conversations"), Benchmark(Baseline = true, Description = "SQL: 50 newest conversations")]
    public int RawConversations() => Drain(_rawConversations);

    [BenchmarkCategory("Conversations"), Benchmark(Description = "Store: ListConversationsAsync, first page")]
    public async Task<int> ListConversations() => (await _store.ListConversationsAsync(new ConversationQuery(Limit: 50))).Items.Count;

    [BenchmarkCategory("Conversations"), Benchmark(Description = "Store: ListConversationsAsync, page 201")]
    public async Task<int> ListConversationsDeep() =>
        (await _store.ListConversationsAsync(new ConversationQuery(Limit: 50, Cursor: _deepCursor))).Items.Count;

    private static int Drain(NpgsqlCommand command)
    {
        using var reader = command.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.GetValue(i);
            }

            count++;
        }

        return count;
    }
}
