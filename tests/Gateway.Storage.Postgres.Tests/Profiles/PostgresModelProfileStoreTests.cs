using Gateway.Storage.Conformance;
using Gateway.Storage.Postgres.Tests.Conversations;

namespace Gateway.Storage.Postgres.Tests.Profiles;

public sealed class PostgresModelProfileStoreTests : ModelProfileStoreConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await PostgresStoreUnderTest.CreateAsync();
}
