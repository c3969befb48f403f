using System.Globalization;
using Npgsql;
using static Gateway.Storage.Relational.DbCommands;

namespace Gateway.Storage.Postgres.Rag.Internal;

/// <summary>
/// The per-dimension pgvector indexes: collections of different dimensions share <c>rag_chunks</c>, whose
/// <c>embedding</c> is a <c>real[]</c>, so each dimension count N has its own partial HNSW index on the
/// immutable cast <c>embedding::vector(N)</c> for the rows <c>WHERE dimensions = N</c>, and searches use
/// the same expression (<see cref="Embedding"/>). The index is made in the transaction that creates (or
/// re-dimensions) the first collection of N dimensions, under a transaction-scoped advisory lock on N, so
/// replicas doing it at once make it once and the others find it.
/// </summary>
internal static class HnswIndexes
{
    // The first key of the advisory lock (the second is N): an arbitrary constant, "rag!".
    private const int LockKey = 0x72616721;

    /// <summary>The expression every index and query on vectors of <paramref name="dimensions"/> uses.</summary>
    public static string Embedding(int dimensions, string? alias = null) =>
        string.Create(CultureInfo.InvariantCulture, $"({(alias is null ? string.Empty : alias + ".")}embedding::vector({dimensions}))");

    /// <summary>The index's name.</summary>
    public static string Name(int dimensions) => string.Create(CultureInfo.InvariantCulture, $"rag_chunks_embedding_{dimensions}");

    /// <summary>Creates the index for <paramref name="dimensions"/> unless it exists; it commits with <paramref name="transaction"/>.</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int dimensions, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key, @dimensions)", cancellationToken,
            ("key", LockKey), ("dimensions", dimensions)).ConfigureAwait(false);
        if (await ScalarAsync(connection, transaction, "SELECT to_regclass(@name) IS NOT NULL", cancellationToken, ("name", Name(dimensions)))
            .ConfigureAwait(false) is true)
        {
            return;
        }

        // dimensions is a validated int (1 to RagRules.MaxDimensions), not text from outside: DDL takes no parameters.
        await ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture,
            $"CREATE INDEX IF NOT EXISTS {Name(dimensions)} ON rag_chunks USING hnsw ({Embedding(dimensions)} vector_cosine_ops) WHERE dimensions = {dimensions}"),
            cancellationToken).ConfigureAwait(false);
    }
}
