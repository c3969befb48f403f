using Gateway.Core.Storage.Rag;
using Gateway.Storage.Conformance;
using Gateway.Storage.Sqlite.Rag;
using Gateway.Storage.Sqlite.Tests.Conversations;

namespace Gateway.Storage.Sqlite.Tests.Rag;

public sealed class SqliteChunkKeywordWindowTests : ChunkKeywordWindowConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await SqliteStoreUnderTest.CreateAsync();

    protected override IVectorStore WithKeywordCandidateLimit(StoreUnderTest store, int limit) =>
        new SqliteVectorStore(((SqliteStoreUnderTest)store).Database, keywordCandidateLimit: limit);
}
