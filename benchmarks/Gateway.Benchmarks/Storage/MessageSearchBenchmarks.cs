using BenchmarkDotNet.Attributes;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Search over the 1,000,000-message corpus, one query class per parameter, 20 hits with snippets.
/// Baseline: plain FTS5 ranking every match, <c>ORDER BY bm25 LIMIT 20</c> (no snippets). Against it:
/// <see cref="SqliteMessageSearch"/> (the newest 1,000 matches scored by its own BM25 with cached document
/// frequencies, snippets for the page), and the same scoped to one conversation and to one space of ten.
/// Each process repeats one query, so after the first request the terms' document frequencies come from
/// the cache, as they do for any term searched again within five minutes.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerRequestConfig))]
public class MessageSearchBenchmarks
{
    private static readonly Dictionary<string, string> Queries = new()
    {
        ["rare"] = "lavaro",                 // 250 messages
        ["mid"] = "solrute",                 // 7,466 messages
        ["common"] = "vet",                  // 494,180 messages
        ["and"] = "robje zenu",              // 24,542 and 136,562 messages; 3,280 with both
        ["phrase"] = "\"cavi hic\"",         // two words in 92% and 71% of messages, adjacent in 35,419
        ["prefix"] = "hic*",                 // every word starting with hic: 720,648 messages
    };

    private SqliteDatabase _database = null!;
    private SqliteMessageSearch _search = null!;
    private SqliteConnection _plain = null!;
    private SqliteCommand _plainQuery = null!;
    private string _conversationId = null!;

    [Params("rare", "mid", "common", "and", "phrase", "prefix")]
    public string Query { get; set; } = "rare";

    /// <summary>The corpus to search; null for the full 1,000,000-message one (the CI guard passes a small one).</summary>
    public string? CorpusPath { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var path = CorpusPath ?? SearchCorpus.Ensure(Console.Out);
        _database = new SqliteDatabase(path);
        _search = new SqliteMessageSearch(_database);
        _plain = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        _plain.Open();
        _plainQuery = _plain.CreateCommand();
        _plainQuery.CommandText = "SELECT rowid, bm25(messages_fts) FROM messages_fts WHERE messages_fts MATCH $match ORDER BY bm25(messages_fts) LIMIT 20";
        _plainQuery.Parameters.AddWithValue("$match", Fts5Text(Queries[Query]));

        // A conversation from the middle of the corpus's history.
        _conversationId = SearchCorpus.ConversationId(SearchCorpus.ConversationCount / 2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plainQuery.Dispose();
        _plain.Dispose();
        SqliteConnection.ClearAllPools();
    }

    [Benchmark(Baseline = true, Description = "FTS5 ORDER BY bm25 LIMIT 20")]
    public int PlainBm25()
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

    // The baseline's FTS5 text: each word quoted, as the store renders it.
    private static string Fts5Text(string query) => query switch
    {
        "\"cavi hic\"" => "\"cavi hic\"",
        "hic*" => "\"hic\"*",
        _ => string.Join(' ', query.Split(' ').Select(w => $"\"{w}\"")),
    };
}
