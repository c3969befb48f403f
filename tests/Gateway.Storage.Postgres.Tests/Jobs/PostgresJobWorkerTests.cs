using Gateway.Storage.Conformance;
using Gateway.Storage.Postgres.Tests.Conversations;

namespace Gateway.Storage.Postgres.Tests.Jobs;

public sealed class PostgresJobWorkerTests : JobWorkerConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await PostgresStoreUnderTest.CreateAsync();
}
