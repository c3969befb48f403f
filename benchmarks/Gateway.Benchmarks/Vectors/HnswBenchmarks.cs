using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Tests.Vectors;
using Gateway.Core.Vectors;
using Gateway.Storage.Sqlite.Rag.Hnsw;
using Gateway.Storage.Sqlite.Tests.Rag.Hnsw;
using Npgsql;
using Pgvector;

namespace Gateway.Benchmarks.Vectors;

/// <summary>
/// Approximate top-10: our USearch HNSW index (M 16, ef_construction 128, ef_search 64) and pgvector's HNSW
/// on the test PostgreSQL (<c>GATEWAY_TEST_POSTGRES</c>, schema <c>vector_bench</c>; same M and
/// ef_construction, <c>hnsw.ef_search</c> raised until its recall matches ours), against our exact scan on one
/// thread. Both indexes are built once and kept (ours in <c>$TMPDIR/gateway-bench/</c>, pgvector's in the
/// database), each with a note of its build time that the setup prints with recall@10 over the 16 queries
/// (<c>// </c> lines of the log), so a rerun measures queries at once.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(VectorBenchConfig))]
public class HnswBenchmarks
{
    private const int Dimensions = VectorBenchData.Dimensions;
    private const int K = VectorBenchData.K;
    private float[] _rows = null!;
    private float[] _queries = null!;
    private float[] _query = null!;
    private CollectionHnswIndex _index = null!;
    private NpgsqlDataSource _postgres = null!;
    private NpgsqlConnection _connection = null!;
    private NpgsqlCommand _knn = null!;

    [Params(100_000)]
    public int Rows { get; set; }

    private string Table => $"vector_bench.clustered_{Rows}";

    private string IndexName => $"clustered_{Rows}_hnsw";

    private string Index => $"vector_bench.{IndexName}";

    [GlobalSetup]
    public void Setup()
    {
        (_rows, _queries) = VectorBenchData.Get(Rows);
        _query = _queries[..Dimensions];
        KeyRows = Enumerable.Range(0, Rows).ToDictionary(r => HnswKey.Of(ArraySource.Key(r)));
        _index = OpenIndex();
        Console.WriteLine($"// HNSW (ours) recall@10 {Recall(OursTopK):F3}");

        var builder = new NpgsqlDataSourceBuilder(Environment.GetEnvironmentVariable("GATEWAY_TEST_POSTGRES")
            ?? "Host=127.0.0.1;Port=25432;Username=gateway_test;Password=gateway_test;Database=gateway_test");
        builder.UseVector();
        _postgres = builder.Build();
        _connection = _postgres.OpenConnection();
        EnsureTable();
        _knn = new NpgsqlCommand($"SELECT id FROM {Table} ORDER BY embedding <=> $1 LIMIT {K}", _connection);
        _knn.Parameters.Add(new NpgsqlParameter { Value = new Vector(_query) });
        var target = Recall(OursTopK);
        foreach (var efSearch in new[] { 40, 64, 100, 160, 250, 400 })
        {
            Execute($"SET hnsw.ef_search = {efSearch}");
            var recall = Recall(PgvectorTopK);
            Console.WriteLine($"// pgvector hnsw.ef_search {efSearch}: recall@10 {recall:F3}");
            if (recall >= target)
            {
                break;
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _index.Dispose();
        _knn.Dispose();
        _connection.Dispose();
        _postgres.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Exact float32 (ours, 1 thread)")]
    public ScoredRow[] Exact() => VectorMath.TopK(_rows, Dimensions, _query, K);

    [Benchmark(Description = "HNSW (ours, USearch, + exact rescoring)")]
    public ScoredRow[] Hnsw() => OursTopK(_query);

    [Benchmark(Description = "pgvector HNSW (same recall)")]
    public int Pgvector()
    {
        using var reader = _knn.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            count++;
        }

        return count;
    }

    private ScoredRow[] OursTopK(float[] query)
    {
        var rows = _index.Search(query, K).Select(key => KeyRows[key]).ToArray();
        return VectorMath.TopK(_rows, Dimensions, query, K, rows);
    }

    private Dictionary<ulong, int> KeyRows { get; set; } = [];

    private ScoredRow[] PgvectorTopK(float[] query)
    {
        _knn.Parameters[0].Value = new Vector(query);
        using var reader = _knn.ExecuteReader();
        var rows = new List<ScoredRow>();
        while (reader.Read())
        {
            rows.Add(new ScoredRow(reader.GetInt32(0), 0));
        }

        _knn.Parameters[0].Value = new Vector(_query);
        return [.. rows];
    }

    private double Recall(Func<float[], ScoredRow[]> search) => VectorTestData.Recall(_rows, _queries, Dimensions, K, search);

    // Our index, built once and kept in the temp folder (with its build time beside it): building it takes minutes here.
    private CollectionHnswIndex OpenIndex()
    {
        var path = Path.Combine(Path.GetTempPath(), "gateway-bench", $"hnsw-clustered-{Rows}.usearch");
        var note = path + ".txt";
        if (File.Exists(path) && File.Exists(note))
        {
            Console.WriteLine($"// HNSW (ours) loaded from {path}: {File.ReadAllText(note)}");
            return CollectionHnswIndex.Load(path, Dimensions, version: 1);
        }

        var watch = Stopwatch.StartNew();
        var index = CollectionHnswIndex.Build(new ArraySource(_rows, Dimensions, 1), CancellationToken.None);
        var built = $"built in {watch.Elapsed.TotalSeconds:F1} s for {Rows} rows (one thread, load average {LoadAverage()})";
        Console.WriteLine($"// HNSW (ours) {built}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        index.SaveTo(path, out _, out _);
        File.WriteAllText(note, built);
        return index;
    }

    // The pgvector table and its index, each made once and kept: a run that stopped during the index build
    // leaves the rows, and the next one builds the index (with every core PostgreSQL allows) and notes its time on it.
    private void EnsureTable()
    {
        Execute("CREATE SCHEMA IF NOT EXISTS vector_bench");
        Execute($"CREATE TABLE IF NOT EXISTS {Table} (id int PRIMARY KEY, embedding vector({Dimensions}) NOT NULL)");
        if ((long)Scalar($"SELECT count(*) FROM {Table}")! != Rows)
        {
            Execute($"DROP INDEX IF EXISTS {Index}");
            Execute($"TRUNCATE {Table}");
            using var writer = _connection.BeginBinaryImport($"COPY {Table} (id, embedding) FROM STDIN (FORMAT BINARY)");
            for (var r = 0; r < Rows; r++)
            {
                writer.StartRow();
                writer.Write(r);
                writer.Write(new Vector(_rows.AsMemory(r * Dimensions, Dimensions)));
            }

            writer.Complete();
        }

        if (Scalar($"SELECT to_regclass('{Index}') IS NOT NULL") is false)
        {
            Execute("SET maintenance_work_mem = '1GB'");
            Execute($"SET max_parallel_maintenance_workers = {Math.Max(0, Environment.ProcessorCount - 1)}");
            var watch = Stopwatch.StartNew();
            Execute($"CREATE INDEX {IndexName} ON {Table} USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 128)");
            var built = $"built in {watch.Elapsed.TotalSeconds:F1} s for {Rows} rows (maintenance_work_mem 1GB, max_parallel_maintenance_workers {Math.Max(0, Environment.ProcessorCount - 1)}, load average {LoadAverage()})";
            Execute($"COMMENT ON INDEX {Index} IS '{built}'");
        }

        Execute("ANALYZE " + Table);
        Console.WriteLine($"// pgvector HNSW {Scalar($"SELECT obj_description('{Index}'::regclass, 'pg_class')")}");
    }

    private object? Scalar(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        return command.ExecuteScalar();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }
}
