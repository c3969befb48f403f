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
public class MessageSearchBenchmarks : MessageSearchBenchmarkSuite
{
    private SqliteDatabase _database = null!;
    private SqliteConnection _plain = null!;
    private SqliteCommand _plainQuery = null!;

    /// <summary>The corpus to search; null for the full 1,000,000-message one (the CI guard passes a small one).</summary>
    public string? CorpusPath { get; set; }

    /// <inheritdoc />
    protected override IMessageSearch Open(string query)
    {
        var path = CorpusPath ?? SearchCorpus.Ensure(Console.Out);
        _database = new SqliteDatabase(path);
        _plain = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        _plain.Open();
        _plainQuery = _plain.CreateCommand();
        _plainQuery.CommandText = "SELECT rowid, bm25(messages_fts) FROM messages_fts WHERE messages_fts MATCH $match ORDER BY bm25(messages_fts) LIMIT 20";
        _plainQuery.Parameters.AddWithValue("$match", Fts5Text(query));
        return new SqliteMessageSearch(_database);
    }

    /// <inheritdoc />
    protected override void Close()
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

    // The baseline's FTS5 text: each word quoted, as the store renders it.
    private static string Fts5Text(string query) => query switch
    {
        "\"cavi hic\"" => "\"cavi hic\"",
        "hic*" => "\"hic\"*",
        _ => string.Join(' ', query.Split(' ').Select(w => $"\"{w}\"")),
    };
}
