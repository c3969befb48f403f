using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Conformance;
using Gateway.Storage.Sqlite.Search;
using Gateway.Storage.Sqlite.Tests.Conversations;

namespace Gateway.Storage.Sqlite.Tests.Search;

public sealed class SqliteMessageSearchTests : MessageSearchConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await SqliteStoreUnderTest.CreateAsync();

    protected override IMessageSearch CreateSearch(StoreUnderTest store, int candidateLimit)
    {
        var sqlite = (SqliteStoreUnderTest)store;
        return new SqliteMessageSearch(sqlite.Database, sqlite.Indexer, candidateLimit);
    }
}
