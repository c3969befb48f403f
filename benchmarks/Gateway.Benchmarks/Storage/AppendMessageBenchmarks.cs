using BenchmarkDotNet.Attributes;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite;
using Gateway.Storage.Sqlite.Conversations;
using Microsoft.Data.Sqlite;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Appending one ~500-byte message durably (its own committed transaction, WAL + synchronous=NORMAL)
/// with the search index current. Baseline: the bare SQL of that work, <c>BEGIN IMMEDIATE</c>, one
/// INSERT that fires the FTS5 trigger, <c>COMMIT</c>, on one open connection.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(WriteConfig))]
public class AppendMessageBenchmarks
{
    private readonly Func<string> _texts = SearchCorpus.CreateTextSource(7);
    private StorageFiles _files = null!;
    private SqliteConversationStore _store = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _insert = null!;
    private string _conversationId = null!;
    private long _seq;

    [GlobalSetup]
    public void Setup()
    {
        _files = new StorageFiles();
        _store = new SqliteConversationStore(new SqliteDatabase(_files.NewDatabase()));
        _conversationId = _store.CreateConversationAsync(new NewConversation("bench")).GetAwaiter().GetResult().Id;

        _raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _files.NewDatabase() }.ToString());
        _raw.Open();
        using (var setup = _raw.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA synchronous = NORMAL;
                INSERT INTO conversations (id, created_at, updated_at) VALUES ('c', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                """;
            setup.ExecuteNonQuery();
        }

        _insert = _raw.CreateCommand();
        _insert.CommandText = """
            BEGIN IMMEDIATE;
            INSERT INTO messages (seq, id, conversation_id, role, content, created_at) VALUES ($seq, $id, 'c', 'user', $content, '2026-01-01T00:00:00.0000000Z');
            COMMIT;
            """;
        _insert.Parameters.Add("$seq", SqliteType.Integer);
        _insert.Parameters.Add("$id", SqliteType.Text);
        _insert.Parameters.Add("$content", SqliteType.Text);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _raw.Dispose();
        _files.Dispose();
    }

    [Benchmark(Baseline = true, Description = "SQL: INSERT + FTS5 trigger, own transaction")]
    public int RawInsert()
    {
        _seq++;
        _insert.Parameters["$seq"].Value = _seq;
        _insert.Parameters["$id"].Value = "m" + _seq;
        _insert.Parameters["$content"].Value = _texts();
        return _insert.ExecuteNonQuery();
    }

    [Benchmark(Description = "Store: AppendMessageAsync")]
    public Task<ConversationMessage> Append() =>
        _store.AppendMessageAsync(_conversationId, new NewMessage("user", _texts()));
}
