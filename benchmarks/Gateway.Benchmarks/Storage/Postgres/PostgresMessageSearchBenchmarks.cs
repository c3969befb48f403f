using BenchmarkDotNet.Attributes;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Postgres;
using Gateway.Storage.Postgres.Search;
using Npgsql;

namespace Gateway.Benchmarks.Storage.Postgres;

/// <summary>
/// <see cref="MessageSearchBenchmarks"/> on PostgreSQL: the same corpus and query classes, 20 hits with
/// snippets. Baseline: plain tsvector search ranking every match, <c>ORDER BY ts_rank_cd LIMIT 20</c>
/// (no snippets). Against it: <see cref="PostgresMessageSearch"/> (ts_rank_cd over the newest 1,000
/// matches, ts_headline for the page), and the same scoped to one conversation and one space of ten.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerRequestConfig))]
public class PostgresMessageSearchBenchmarks : MessageSearchBenchmarkSuite
{
    private PostgresDatabase _database = null!;
    private NpgsqlConnection _plain = null!;
    private NpgsqlCommand _plainQuery = null!;

    /// <inheritdoc />
    protected override IMessageSearch Open(string query)
    {
        var connectionString = PostgresSearchCorpus.Ensure(Console.Out);
        _database = PostgresDatabase.Create(connectionString);
        _plain = new NpgsqlConnection(connectionString);
        _plain.Open();
        var (sql, web, prefix) = TsQueryRenderer.Render(SearchQuerySyntax.Parse(query));
        _plainQuery = new NpgsqlCommand($"SELECT seq, ts_rank_cd(search, {sql}, 1) AS rank FROM messages WHERE search @@ {sql} ORDER BY rank DESC LIMIT 20", _plain);
        if (web is not null)
        {
            _plainQuery.Parameters.AddWithValue("web", web);
        }

        if (prefix is not null)
        {
            _plainQuery.Parameters.AddWithValue("prefix", prefix);
        }

        return new PostgresMessageSearch(_database);
    }

    /// <inheritdoc />
    protected override void Close()
    {
        _plainQuery.Dispose();
        _plain.Dispose();
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "tsvector ORDER BY ts_rank_cd LIMIT 20")]
    public int PlainRank()
    {
        using var reader = _plainQuery.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            count++;
        }

        return count;
    }
}
