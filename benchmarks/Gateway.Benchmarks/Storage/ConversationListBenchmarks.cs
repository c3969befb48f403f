using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite;
using Gateway.Storage.Sqlite.Conversations;
using Microsoft.Data.Sqlite;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Reading a page of 50 from the 1,000,000-message corpus (20,000 conversations): a conversation's
/// messages (its active branch, oldest first) and the newest conversations, first page and a page deep
/// in the listing (by cursor). Each against the bare keyset SELECT of the same rows as its baseline.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(WriteConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ConversationListBenchmarks
{
    private SqliteConversationStore _store = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _rawMessages = null!;
    private SqliteCommand _rawConversations = null!;
    private string _conversationId = null!;
    private string _deepCursor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var path = SearchCorpus.Ensure(Console.Out);
        _store = new SqliteConversationStore(new SqliteDatabase(path));
        _conversationId = SearchCorpus.ConversationId(SearchCorpus.ConversationCount / 2);
        _raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        _raw.Open();
        _rawMessages = _raw.CreateCommand();
        _rawMessages.CommandText = """
            SELECT seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at
            FROM messages WHERE conversation_id = $conversation ORDER BY seq LIMIT 50
            """;
        _rawMessages.Parameters.AddWithValue("$conversation", _conversationId);
        _rawConversations = _raw.CreateCommand();
        _rawConversations.CommandText = """
            SELECT id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id
            FROM conversations WHERE archived = 0 ORDER BY id DESC LIMIT 50
            """;

        // The cursor 10,000 conversations deep: the next page is the 201st of 50.
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
        SqliteConnection.ClearAllPools();
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

    private static int Drain(SqliteCommand command)
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
