using Gateway.Storage.Conformance;
using Gateway.Storage.Postgres.Tests.Conversations;

namespace Gateway.Storage.Postgres.Tests.Spaces;

public sealed class PostgresSpaceStoreTests : SpaceStoreConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await PostgresStoreUnderTest.CreateAsync();
}
