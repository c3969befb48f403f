using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Gateway.Host;
using Gateway.Storage.Postgres.Conversations;
using Gateway.Storage.Postgres.Tests.Infrastructure;
using Gateway.Storage.Sqlite;
using Gateway.Storage.Sqlite.Conversations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Storage.Postgres.Tests.Hosts;

/// <summary>How the sample host and <c>AddPostgresStorage</c> pick and reach their database.</summary>
public sealed class DatabaseStorageTests
{
    [Theory]
    [InlineData("Host=db.example.com;Database=gateway;Username=gateway", typeof(PostgresConversationStore))]
    [InlineData("postgres://gateway:secret@db.example.com:5432/gateway", typeof(PostgresConversationStore))]
    [InlineData("postgresql://gateway@localhost/gateway", typeof(PostgresConversationStore))]
    [InlineData("data/gateway.db", typeof(SqliteConversationStore))]
    [InlineData("sqlite:data/other.db", typeof(SqliteConversationStore))]
    [InlineData("Data Source=data/gateway.db", typeof(SqliteConversationStore))]
    public async Task AddDatabaseStorage_GatewayDb_SelectsTheBackend(string database, Type expected)
    {
        await using var services = Build(new Dictionary<string, string?> { ["GATEWAY_DB"] = database });

        Assert.IsType(expected, services.GetRequiredService<IConversationStore>());
    }

    [Fact]
    public async Task AddDatabaseStorage_SqlitePrefix_StoresAtThePathAfterIt()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Gateway:Database"] = "sqlite:/tmp/gateway-prefixed.db" });

        Assert.Equal("/tmp/gateway-prefixed.db", services.GetRequiredService<SqliteDatabase>().Path);
    }

    [Fact]
    public async Task AddPostgresStorage_GatewayDbIsAFilePath_FailsValidationNamingTheSetting()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["GATEWAY_DB"] = "data/gateway.db" }).Build());
        collection.AddGateway().AddPostgresStorage();
        await using var services = collection.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PostgresStorageOptions>>().Value);

        Assert.Contains("GATEWAY_DB", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgres://", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPostgresStorage_AppRegisteredDataSource_IsTheOneTheStoresUse()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(database);
            var collection = new ServiceCollection();
            collection.AddSingleton(dataSource);
            collection.AddGateway().AddPostgresStorage();
            await using var services = collection.BuildServiceProvider();
            await PostgresMigrationBackend.CreateRunner(dataSource).UpAsync();

            var created = await services.GetRequiredService<IConversationStore>().CreateConversationAsync(new NewConversation("via the app's pool"));

            Assert.Same(dataSource, services.GetRequiredService<PostgresDatabase>().DataSource);
            Assert.Equal("via the app's pool", await PostgresServer.ScalarAsync(database, $"SELECT title FROM conversations WHERE id = '{created.Id}'"));
            var profile = await services.GetRequiredService<IModelProfileStore>().CreateProfileAsync(new ModelProfileDefinition("via the app's pool", "local"));
            var space = await services.GetRequiredService<ISpaceStore>().CreateSpaceAsync(new SpaceDefinition("via the app's pool", DefaultProfileId: profile.Id));
            Assert.Equal(profile.Id, await PostgresServer.ScalarAsync(database, $"SELECT profile_id FROM space_profiles WHERE space_id = '{space.Id}'"));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddGateway().AddDatabaseStorage(configuration);
        return collection.BuildServiceProvider();
    }
}
