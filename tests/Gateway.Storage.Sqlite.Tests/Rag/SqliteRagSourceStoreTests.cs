using Gateway.Storage.Conformance;
using Gateway.Storage.Sqlite.Tests.Conversations;

namespace Gateway.Storage.Sqlite.Tests.Rag;

public sealed class SqliteRagSourceStoreTests : RagSourceStoreConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await SqliteStoreUnderTest.CreateAsync();
}
