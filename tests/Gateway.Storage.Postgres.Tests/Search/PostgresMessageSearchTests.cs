using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Conformance;
using Gateway.Storage.Postgres.Search;
using Gateway.Storage.Postgres.Tests.Conversations;

namespace Gateway.Storage.Postgres.Tests.Search;

public sealed class PostgresMessageSearchTests : MessageSearchConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await PostgresStoreUnderTest.CreateAsync();

    protected override IMessageSearch CreateSearch(StoreUnderTest store, int candidateLimit) =>
        new PostgresMessageSearch(((PostgresStoreUnderTest)store).Database, candidateLimit);
}
