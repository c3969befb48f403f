using Gateway.Core.Storage.Rag;
using Gateway.Storage.Postgres.Tests.Conversations;
using Npgsql;

namespace Gateway.Storage.Postgres.Tests.Rag;

/// <summary>
/// The per-dimension HNSW index is built with CREATE INDEX CONCURRENTLY before the first collection of its
/// dimensions: valid, made once however many replicas create such collections at once, and built again when
/// a failed concurrent build left an INVALID one behind.
/// </summary>
public sealed class PostgresHnswIndexTests : IAsyncLifetime
{
    private PostgresStoreUnderTest _store = null!;

    public async Task InitializeAsync() => _store = await PostgresStoreUnderTest.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task CreateCollection_NewDimensions_BuildsAValidPartialHnswIndex()
    {
        await _store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Twelve", "m", 12));

        var (valid, definition) = await IndexAsync("rag_chunks_embedding_12");

        Assert.True(valid);
        Assert.Contains("USING hnsw", definition, StringComparison.Ordinal);
        Assert.Contains("vector_cosine_ops", definition, StringComparison.Ordinal);
        Assert.Contains("WHERE (dimensions = 12)", definition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCollection_InvalidIndexLeftByAFailedBuild_DropsAndBuildsItAgain()
    {
        // Two rows of one dimension count make a concurrent UNIQUE build on that column fail, leaving an INVALID index under the name.
        var four = await _store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Four", "m", 4));
        await _store.RagCollections.WriteDocumentAsync(four.Id, new RagDocumentWrite("a.md", RagRules.ContentHash("a"), 2,
            [new NewRagChunk("a", new ChunkCitation(0, 1), new float[] { 1, 0, 0, 0 }), new NewRagChunk("b", new ChunkCitation(1, 2), new float[] { 0, 1, 0, 0 })]));
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("CREATE UNIQUE INDEX CONCURRENTLY rag_chunks_embedding_9 ON rag_chunks (dimensions)"));
        Assert.False((await IndexAsync("rag_chunks_embedding_9")).Valid);

        var nine = await _store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Nine", "m", 9));

        var (valid, definition) = await IndexAsync("rag_chunks_embedding_9");
        Assert.True(valid);
        Assert.Contains("USING hnsw", definition, StringComparison.Ordinal);
        Assert.Equal(nine, await _store.RagCollections.GetCollectionAsync(nine.Id));
    }

    [Fact]
    public async Task CreateCollection_ReplicasAtOnce_EveryCollectionAndOneValidIndex()
    {
        var replicas = new List<PostgresStoreUnderTest>();
        for (var i = 0; i < 4; i++)
        {
            replicas.Add((PostgresStoreUnderTest)await _store.OpenSecondClientAsync());
        }

        try
        {
            var created = await Task.WhenAll(replicas.Select((replica, i) => Task.Run(() =>
                replica.RagCollections.CreateCollectionAsync(new RagCollectionDefinition($"Replica {i}", "m", 11)))));

            Assert.Equal(4, created.Select(collection => collection.Id).Distinct().Count());
            Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'rag_chunks_embedding_11%'"));
            Assert.True((await IndexAsync("rag_chunks_embedding_11")).Valid);
            Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()"));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task UpdateCollection_EmptyToNewDimensions_BuildsThatIndex()
    {
        var collection = await _store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Moving", "m", 5));

        await _store.RagCollections.UpdateCollectionAsync(collection.Id, new RagCollectionDefinition("Moving", "m", 6));

        Assert.True((await IndexAsync("rag_chunks_embedding_6")).Valid);
    }

    private async Task<(bool Valid, string Definition)> IndexAsync(string name)
    {
        await using var command = _store.Database.DataSource.CreateCommand(
            "SELECT i.indisvalid, pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indexrelid = to_regclass(@name)");
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no index {name}");
        return (reader.GetBoolean(0), reader.GetString(1));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _store.Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _store.Database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
