using BenchmarkDotNet.Attributes;
using Gateway.Core.Vectors;
using Microsoft.Data.Sqlite;

namespace Gateway.Benchmarks.Vectors;

/// <summary>
/// The same top-10 through sqlite-vec (<c>vec0</c> virtual table, cosine, brute force, one thread) against
/// our exact scan on one thread. vec0.so comes from npm by <c>benchmarks/fetch-sqlite-vec.sh</c> and is loaded
/// here only; the table is built once into <c>$TMPDIR/gateway-bench/</c> and read warm.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(VectorBenchConfig))]
public class SqliteVecBenchmarks
{
    private const int Dimensions = VectorBenchData.Dimensions;
    private float[] _rows = null!;
    private float[] _query = null!;
    private SqliteConnection _connection = null!;
    private SqliteCommand _knn = null!;

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        float[] queries;
        (_rows, queries) = VectorBenchData.Get(Rows);
        _query = queries[..Dimensions];
        var extension = Path.Combine(Path.GetTempPath(), "gateway-bench", "sqlite-vec", "package", "dist", "linux-x64", "vec0.so");
        if (!File.Exists(extension))
        {
            throw new InvalidOperationException($"{extension} is missing: run benchmarks/fetch-sqlite-vec.sh first.");
        }

        var path = Path.Combine(Path.GetTempPath(), "gateway-bench", $"sqlite-vec-clustered-{Rows}.db");
        var exists = File.Exists(path);
        _connection = new SqliteConnection($"Data Source={path}");
        _connection.Open();
        _connection.LoadExtension(extension);
        if (!exists)
        {
            Fill();
        }

        _knn = _connection.CreateCommand();
        _knn.CommandText = "SELECT rowid, distance FROM items WHERE embedding MATCH $query AND k = 10";
        _knn.Parameters.AddWithValue("$query", Blob(_query));
        Console.WriteLine($"// sqlite-vec {Scalar("SELECT vec_version()")}, recall@10 of its top 10 against ours: {Recall():F3}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _knn.Dispose();
        _connection.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Exact float32 (ours, 1 thread)")]
    public ScoredRow[] Exact() => VectorMath.TopK(_rows, Dimensions, _query, VectorBenchData.K);

    [Benchmark(Description = "sqlite-vec vec0 exact (1 thread)")]
    public int SqliteVec()
    {
        using var reader = _knn.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            count++;
        }

        return count;
    }

    private void Fill()
    {
        using var transaction = _connection.BeginTransaction();
        using (var create = _connection.CreateCommand())
        {
            create.CommandText = $"CREATE VIRTUAL TABLE items USING vec0(embedding float[{Dimensions}] distance_metric=cosine)";
            create.ExecuteNonQuery();
        }

        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO items(rowid, embedding) VALUES ($row, $vector)";
        var row = insert.Parameters.Add("$row", SqliteType.Integer);
        var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
        for (var r = 0; r < Rows; r++)
        {
            row.Value = r;
            vector.Value = Blob(_rows.AsSpan(r * Dimensions, Dimensions));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private double Recall()
    {
        var ours = Exact().Select(r => (long)r.Row).ToHashSet();
        using var reader = _knn.ExecuteReader();
        var found = 0;
        while (reader.Read())
        {
            found += ours.Contains(reader.GetInt64(0)) ? 1 : 0;
        }

        return found / (double)VectorBenchData.K;
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static byte[] Blob(ReadOnlySpan<float> vector) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector).ToArray();
}
