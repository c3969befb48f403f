using Gateway.Storage.Conformance;

namespace Gateway.Storage.Postgres.Tests.Conversations;

public sealed class PostgresMessageCitationTests : MessageCitationConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync() => await PostgresStoreUnderTest.CreateAsync();
}
