using Gateway.Storage.Conformance;

namespace Gateway.Storage.Sqlite.Tests.Conversations;

public sealed class SqliteToolMessageTests : ToolMessageConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await SqliteStoreUnderTest.CreateAsync();
}
