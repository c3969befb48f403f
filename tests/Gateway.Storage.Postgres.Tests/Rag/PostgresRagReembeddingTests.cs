using Gateway.Storage.Conformance;
using Gateway.Storage.Postgres.Tests.Conversations;

namespace Gateway.Storage.Postgres.Tests.Rag;

public sealed class PostgresRagReembeddingTests : RagReembeddingConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await PostgresStoreUnderTest.CreateAsync();
}
