using Gateway.Storage.Conformance;

namespace Gateway.Storage.Sqlite.Tests.Conversations;

public sealed class SqliteChatTurnStorageTests : ChatTurnStorageConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await SqliteStoreUnderTest.CreateAsync();
}
