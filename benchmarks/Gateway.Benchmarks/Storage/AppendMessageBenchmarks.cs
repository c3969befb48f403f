using BenchmarkDotNet.Attributes;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite;
using Gateway.Storage.Sqlite.Conversations;
using Microsoft.Data.Sqlite;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Durable appends of ~500-byte messages with the search index current (WAL + synchronous=NORMAL), by
/// <see cref="Appenders"/> concurrent callers, each awaiting its own appends one after another in its
/// own conversation, as chat turns from that many users would. Times are per message. Baseline: the
/// bare SQL of one append, <c>BEGIN IMMEDIATE</c>, one INSERT that fires the FTS5 trigger,
/// <c>COMMIT</c>, on one open connection, one caller — a commit per message. The store commits
/// concurrent appends together (group commit), so its rate grows with the callers.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(WriteConfig))]
public class AppendMessageBenchmarks
{
    private const int MessagesPerInvoke = 256;

    private readonly Func<string> _texts = SearchCorpus.CreateTextSource(7);
    private StorageFiles _files = null!;
    private SqliteDatabase _database = null!;
    private SqliteConversationStore _store = null!;
    private string[] _conversations = null!;
    private string[][] _contents = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _insert = null!;
    private long _seq;

    /// <summary>How many callers append at once.</summary>
    [Params(1, 4, 16, 64)]
    public int Appenders { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _files = new StorageFiles();
        _database = new SqliteDatabase(_files.NewDatabase());
        _store = new SqliteConversationStore(_database);
        _conversations = Enumerable.Range(0, Appenders)
            .Select(i => _store.CreateConversationAsync(new NewConversation($"bench {i}")).GetAwaiter().GetResult().Id)
            .ToArray();
        // Texts are drawn before the measurement, so every appender sends distinct realistic content.
        _contents = Enumerable.Range(0, Appenders)
            .Select(_ => Enumerable.Range(0, MessagesPerInvoke / Appenders).Select(_ => _texts()).ToArray())
            .ToArray();

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
        _database.Dispose();
        _files.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = MessagesPerInvoke, Description = "SQL: INSERT + FTS5 trigger, own transaction, one caller")]
    public void RawInsert()
    {
        for (var i = 0; i < MessagesPerInvoke; i++)
        {
            _seq++;
            _insert.Parameters["$seq"].Value = _seq;
            _insert.Parameters["$id"].Value = "m" + _seq;
            _insert.Parameters["$content"].Value = _contents[i % Appenders][i / Appenders];
            _insert.ExecuteNonQuery();
        }
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke, Description = "Store: AppendMessageAsync, concurrent callers")]
    public Task Append() =>
        Task.WhenAll(Enumerable.Range(0, Appenders).Select(async appender =>
        {
            foreach (var content in _contents[appender])
            {
                await _store.AppendMessageAsync(_conversations[appender], new NewMessage("user", content)).ConfigureAwait(false);
            }
        }));
}
