using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite.Tests.Search;

public sealed class SearchCandidateLimitOptionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-sqlite-search-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void AddSqliteStorage_SearchCandidateLimit_ConfiguresTheSearch()
    {
        var services = new ServiceCollection();
        services.AddGateway().AddSqliteStorage(options =>
        {
            options.Path = Path.Combine(_folder, "search.db");
            options.SearchCandidateLimit = 250;
        });
        using var provider = services.BuildServiceProvider();

        var search = Assert.IsType<SqliteMessageSearch>(provider.GetRequiredService<IMessageSearch>());

        Assert.Equal(250, search.CandidateLimit);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void AddSqliteStorage_SearchCandidateLimitBelowOne_FailsNamingTheSetting(int limit)
    {
        var services = new ServiceCollection();
        services.AddGateway().AddSqliteStorage(options =>
        {
            options.Path = Path.Combine(_folder, "search.db");
            options.SearchCandidateLimit = limit;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value);

        Assert.Contains("SqliteStorageOptions.SearchCandidateLimit: expected at least 1", error.Message, StringComparison.Ordinal);
    }
}
