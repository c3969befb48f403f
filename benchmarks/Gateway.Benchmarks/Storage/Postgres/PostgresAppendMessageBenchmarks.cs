using BenchmarkDotNet.Attributes;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Postgres;
using Gateway.Storage.Postgres.Conversations;
using Npgsql;

namespace Gateway.Benchmarks.Storage.Postgres;

/// <summary>
/// <see cref="AppendMessageBenchmarks"/> on PostgreSQL: appending one ~500-byte message durably (its own
/// committed transaction) with the search vector and GIN index current. Baseline: the bare SQL of that
/// work, one autocommitted INSERT (the generated tsvector and the GIN entry included) on one open connection.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(WriteConfig))]
public class PostgresAppendMessageBenchmarks
{
    private readonly Func<string> _texts = SearchCorpus.CreateTextSource(7);
    private string _storeDatabase = null!;
    private string _rawDatabase = null!;
    private PostgresDatabase _database = null!;
    private PostgresConversationStore _store = null!;
    private NpgsqlConnection _raw = null!;
    private NpgsqlCommand _insert = null!;
    private string _conversationId = null!;
    private long _seq;

    [GlobalSetup]
    public void Setup()
    {
        _storeDatabase = PostgresBench.NewDatabase();
        _database = PostgresDatabase.Create(_storeDatabase);
        _store = new PostgresConversationStore(_database);
        _conversationId = _store.CreateConversationAsync(new NewConversation("bench")).GetAwaiter().GetResult().Id;

        _rawDatabase = PostgresBench.NewDatabase();
        _raw = new NpgsqlConnection(_rawDatabase);
        _raw.Open();
        using (var setup = new NpgsqlCommand("INSERT INTO conversations (id, created_at, updated_at) VALUES ('c', now(), now())", _raw))
        {
            setup.ExecuteNonQuery();
        }

        _insert = new NpgsqlCommand("INSERT INTO messages (id, conversation_id, role, content, created_at) VALUES (@id, 'c', 'user', @content, now())", _raw);
        _insert.Parameters.Add(new NpgsqlParameter<string>("id", string.Empty));
        _insert.Parameters.Add(new NpgsqlParameter<string>("content", string.Empty));
        _insert.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _raw.Dispose();
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        PostgresBench.DropDatabase(_storeDatabase);
        PostgresBench.DropDatabase(_rawDatabase);
    }

    [Benchmark(Baseline = true, Description = "SQL: INSERT (tsvector + GIN), autocommit")]
    public int RawInsert()
    {
        _seq++;
        ((NpgsqlParameter<string>)_insert.Parameters[0]).TypedValue = "m" + _seq;
        ((NpgsqlParameter<string>)_insert.Parameters[1]).TypedValue = _texts();
        return _insert.ExecuteNonQuery();
    }

    [Benchmark(Description = "Store: AppendMessageAsync")]
    public Task<ConversationMessage> Append() =>
        _store.AppendMessageAsync(_conversationId, new NewMessage("user", _texts()));
}
