using System.Text.Json;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Sqlite.Conversations;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite.Tests;

public sealed class GatewaySqliteBuilderExtensionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-sqlite-di-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void AddSqliteStorage_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddGateway().AddSqliteStorage().AddSqliteStorage(options => options.MigrateOnStart = false);

        foreach (var type in new[] { typeof(SqliteDatabase), typeof(SqliteSearchIndexer), typeof(IConversationStore), typeof(IConversationArchive), typeof(IMessageSearch), typeof(IModelProfileStore), typeof(ISpaceStore), typeof(IJobStore) })
        {
            Assert.Single(services, descriptor => descriptor.ServiceType == type);
        }

        Assert.Equal(2, services.Count(descriptor => descriptor.ServiceType == typeof(IHostedService)
            && descriptor.ImplementationType?.Assembly == typeof(SqliteDatabase).Assembly));
    }

    [Fact]
    public async Task AddSqliteStorage_HostStarts_MigratesAndServesEveryStore()
    {
        var path = Path.Combine(_folder, "nested", "gateway.db");
        await using var provider = Build(options => options.Path = path);

        await StartAsync(provider);
        var store = provider.GetRequiredService<IConversationStore>();
        var conversation = await store.CreateConversationAsync(new NewConversation("via DI"));
        await store.AppendMessageAsync(conversation.Id, new NewMessage("user", "registered apricot"));
        var hits = await provider.GetRequiredService<IMessageSearch>().SearchAsync(new MessageSearchQuery("apricot"));
        var exported = new List<ArchivedConversation>();
        await foreach (var archived in provider.GetRequiredService<IConversationArchive>().ExportAsync())
        {
            exported.Add(archived);
        }

        Assert.Equal(Path.GetFullPath(path), provider.GetRequiredService<SqliteDatabase>().Path);
        Assert.Single(hits.Hits);
        Assert.Equal([conversation.Id], exported.Select(c => c.Conversation.Id));
        Assert.All(await SqliteMigrationBackend.CreateRunner(path).ListAsync(), version => Assert.True(version.Applied));
        var profile = await provider.GetRequiredService<IModelProfileStore>().CreateProfileAsync(new ModelProfileDefinition("via DI", "local"));
        var space = await provider.GetRequiredService<ISpaceStore>().CreateSpaceAsync(new SpaceDefinition("via DI", DefaultProfileId: profile.Id));
        Assert.Equal([profile.Id], (await provider.GetRequiredService<ISpaceStore>().ListLinkedProfilesAsync(space.Id)).Select(p => p.Id));
        var jobs = provider.GetRequiredService<IJobStore>();
        var job = await jobs.EnqueueAsync(new NewJob("ingestion", JsonElement.Parse("{}")));
        Assert.Equal(job.Id, (await jobs.TryClaimAsync(["ingestion"], "via DI", TimeSpan.FromMinutes(1)))!.Job.Id);
        await StopAsync(provider);
    }

    [Fact]
    public async Task AddSqliteStorage_AfterAnImport_BackgroundServiceCatchesUpTheIndex()
    {
        await using var provider = Build(options => options.Path = Path.Combine(_folder, "gateway.db"));
        await StartAsync(provider);

        await provider.GetRequiredService<IConversationArchive>().ImportAsync(ToAsync(Archived("background mulberry")));

        await AssertCaughtUpAsync(provider, "mulberry");
        await StopAsync(provider);
    }

    [Fact]
    public async Task AddSqliteStorage_ImportLeftUnindexed_IsIndexedAtStartUp()
    {
        var path = Path.Combine(_folder, "gateway.db");
        await SqliteMigrationBackend.CreateRunner(path).UpAsync();
        await new SqliteConversationArchive(new SqliteDatabase(path)).ImportAsync(ToAsync(Archived("leftover damson")));
        await using var provider = Build(options => options.Path = path);

        await StartAsync(provider);

        await AssertCaughtUpAsync(provider, "damson");
        await StopAsync(provider);
    }

    [Fact]
    public async Task AddSqliteStorage_NoPath_UsesTheGatewayDbVariable()
    {
        var path = Path.Combine(_folder, "from-gateway-db.db");
        await using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["GATEWAY_DB"] = path }).Build())
            .AddGateway()
            .AddSqliteStorage()
            .Services.BuildServiceProvider();

        await StartAsync(provider);

        Assert.Equal(path, provider.GetRequiredService<SqliteDatabase>().Path);
        Assert.True(File.Exists(path));
        await StopAsync(provider);
    }

    [Fact]
    public async Task AddSqliteStorage_MigrateOnStartOff_LeavesTheFileAlone()
    {
        var path = Path.Combine(_folder, "untouched.db");
        await using var provider = Build(options => (options.Path, options.MigrateOnStart) = (path, false));

        foreach (var service in provider.GetServices<IHostedService>().Where(s => s is not BackgroundService))
        {
            await service.StartAsync(CancellationToken.None);
        }

        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(nameof(SqliteStorageOptions.IndexBatchSize))]
    [InlineData(nameof(SqliteStorageOptions.BusyTimeout))]
    [InlineData(nameof(SqliteStorageOptions.Path))]
    public void AddSqliteStorage_SettingOutOfRange_FailsNamingTheSetting(string setting)
    {
        using var provider = new ServiceCollection()
            .AddGateway()
            .AddSqliteStorage(options =>
            {
                switch (setting)
                {
                    case nameof(SqliteStorageOptions.IndexBatchSize): options.IndexBatchSize = 5; break;
                    case nameof(SqliteStorageOptions.BusyTimeout): options.BusyTimeout = TimeSpan.Zero; break;
                    default: options.Path = " "; break;
                }
            })
            .Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value);

        Assert.Contains($"SqliteStorageOptions.{setting}", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Action<SqliteStorageOptions> configure) =>
        new ServiceCollection().AddGateway().AddSqliteStorage(configure).Services.BuildServiceProvider();

    private static async Task StartAsync(IServiceProvider provider)
    {
        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    private static async Task StopAsync(IServiceProvider provider)
    {
        foreach (var service in provider.GetServices<IHostedService>().Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static async Task AssertCaughtUpAsync(IServiceProvider provider, string word)
    {
        var indexer = provider.GetRequiredService<SqliteSearchIndexer>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await indexer.PendingAsync() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var results = await provider.GetRequiredService<IMessageSearch>().SearchAsync(new MessageSearchQuery(word));
        Assert.Equal(0, results.PendingIndexMessages);
        Assert.Single(results.Hits);
    }

    private static ArchivedConversation Archived(string content)
    {
        var at = new DateTimeOffset(2025, 5, 1, 8, 0, 0, TimeSpan.Zero);
        var id = SortableId.Create(at);
        return new ArchivedConversation(
            new Conversation(id, "imported", null, JsonElement.Parse("{}"), at, at, false, 1, null),
            [new ConversationMessage(SortableId.Create(at), id, null, "user", content, null, null, null, MessageStatus.Complete, at)]);
    }

    private static async IAsyncEnumerable<ArchivedConversation> ToAsync(ArchivedConversation conversation)
    {
        await Task.Yield();
        yield return conversation;
    }
}
