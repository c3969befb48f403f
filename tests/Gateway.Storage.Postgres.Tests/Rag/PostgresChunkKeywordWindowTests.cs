using Gateway.Core.Storage.Rag;
using Gateway.Storage.Conformance;
using Gateway.Storage.Postgres.Rag;
using Gateway.Storage.Postgres.Tests.Conversations;

namespace Gateway.Storage.Postgres.Tests.Rag;

public sealed class PostgresChunkKeywordWindowTests : ChunkKeywordWindowConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await PostgresStoreUnderTest.CreateAsync();

    protected override IVectorStore WithKeywordCandidateLimit(StoreUnderTest store, int limit) =>
        new PostgresVectorStore(((PostgresStoreUnderTest)store).Database, keywordCandidateLimit: limit);
}
