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
public class ConversationListBenchmarks : ConversationListBenchmarkSuite
{
    private SqliteConnection _raw = null!;
    private SqliteCommand _rawMessages = null!;
    private SqliteCommand _rawConversations = null!;

    /// <inheritdoc />
    protected override IConversationStore Open()
    {
        var path = SearchCorpus.Ensure(Console.Out);
        var store = new SqliteConversationStore(new SqliteDatabase(path));
        _raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        _raw.Open();
        _rawMessages = _raw.CreateCommand();
        _rawMessages.CommandText = """
            SELECT seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at
            FROM messages WHERE conversation_id = $conversation ORDER BY seq LIMIT 50
            """;
        _rawMessages.Parameters.AddWithValue("$conversation", ConversationId);
        _rawConversations = _raw.CreateCommand();
        _rawConversations.CommandText = """
            SELECT id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id
            FROM conversations WHERE archived = 0 ORDER BY id DESC LIMIT 50
            """;
        return store;
    }

    /// <inheritdoc />
    protected override void Close()
    {
        _rawMessages.Dispose();
        _rawConversations.Dispose();
        _raw.Dispose();
        SqliteConnection.ClearAllPools();
    }

    [BenchmarkCategory("Messages"), Benchmark(Baseline = true, Description = "SQL: 50 messages by (conversation, seq)")]
    public int RawMessages() => Drain(_rawMessages);

    [BenchmarkCategory("Conversations"), Benchmark(Baseline = true, Description = "SQL: 50 newest conversations")]
    public int RawConversations() => Drain(_rawConversations);
}
