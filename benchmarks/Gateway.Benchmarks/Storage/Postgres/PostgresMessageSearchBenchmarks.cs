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
public class PostgresMessageSearchBenchmarks
{
    private static readonly Dictionary<string, string> Queries = new()
    {
        ["rare"] = "lavaro",
        ["mid"] = "solrute",
        ["common"] = "vet",
        ["and"] = "robje zenu",
        ["phrase"] = "\"cavi hic\"",
        ["prefix"] = "hic*",
    };

    private PostgresDatabase _database = null!;
    private PostgresMessageSearch _search = null!;
    private NpgsqlConnection _plain = null!;
    private NpgsqlCommand _plainQuery = null!;
    private string _conversationId = null!;

    [Params("rare", "mid", "common", "and", "phrase", "prefix")]
    public string Query { get; set; } = "rare";

    [GlobalSetup]
    public void Setup()
    {
        var connectionString = PostgresSearchCorpus.Ensure(Console.Out);
        _database = PostgresDatabase.Create(connectionString);
        _search = new PostgresMessageSearch(_database);
        _plain = new NpgsqlConnection(connectionString);
        _plain.Open();
        var (sql, web, prefix) = TsQueryRenderer.Render(SearchQuerySyntax.Parse(Queries[Query]));
        _plainQuery = new NpgsqlCommand($"SELECT seq, ts_rank_cd(search, {sql}, 1) AS rank FROM messages WHERE search @@ {sql} ORDER BY rank DESC LIMIT 20", _plain);
        if (web is not null)
        {
            _plainQuery.Parameters.AddWithValue("web", web);
        }

        if (prefix is not null)
        {
            _plainQuery.Parameters.AddWithValue("prefix", prefix);
        }

        _conversationId = SearchCorpus.ConversationId(SearchCorpus.ConversationCount / 2);
    }

    [GlobalCleanup]
    public void Cleanup()
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

    [Benchmark(Description = "Search, 20 hits + snippets")]
    public async Task<int> Search() => (await _search.SearchAsync(new MessageSearchQuery(Queries[Query]))).Hits.Count;

    [Benchmark(Description = "Search in a conversation")]
    public async Task<int> SearchConversation() =>
        (await _search.SearchAsync(new MessageSearchQuery(Queries[Query], ConversationId: _conversationId))).Hits.Count;

    [Benchmark(Description = "Search in a space")]
    public async Task<int> SearchSpace() =>
        (await _search.SearchAsync(new MessageSearchQuery(Queries[Query], SpaceId: SearchCorpus.SpaceId(3)))).Hits.Count;
}
