using Gateway.Storage.Conformance;
using Gateway.Storage.Sqlite.Tests.Conversations;

namespace Gateway.Storage.Sqlite.Tests.Jobs;

public sealed class SqliteJobWorkerTests : JobWorkerConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await SqliteStoreUnderTest.CreateAsync();
}
