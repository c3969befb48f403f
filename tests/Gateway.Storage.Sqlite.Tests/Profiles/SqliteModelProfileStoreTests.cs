using Gateway.Storage.Conformance;
using Gateway.Storage.Sqlite.Tests.Conversations;

namespace Gateway.Storage.Sqlite.Tests.Profiles;

public sealed class SqliteModelProfileStoreTests : ModelProfileStoreConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await SqliteStoreUnderTest.CreateAsync();
}
