using Gateway.Storage.Conformance;

namespace Gateway.Storage.Sqlite.Tests.Conversations;

public sealed class SqliteMessageCitationTests : MessageCitationConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await SqliteStoreUnderTest.CreateAsync();
}
