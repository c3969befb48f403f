using Gateway.Storage.Conformance;
using Gateway.Storage.Postgres.Tests.Conversations;

namespace Gateway.Storage.Postgres.Tests.Rag;

public sealed class PostgresRagDocumentTextTests : RagDocumentTextConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await PostgresStoreUnderTest.CreateAsync();
}
