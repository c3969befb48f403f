using Gateway.Core.Models;
using Gateway.TestUpstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Core.Tests.Models;

/// <summary>The hosted refresh on a fake clock: rounds happen at start-up and then exactly when the interval has passed.</summary>
public sealed class ModelMetadataRefreshServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private TestUpstreamServer _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task Service_RefreshesAtStartUpThenEveryInterval()
    {
        await using var services = Build(("MODEL_METADATA_REFRESH_SECONDS", "60"));
        var catalog = services.GetRequiredService<ModelMetadataCatalog>();
        var service = RefreshService(services);

        await service.StartAsync(CancellationToken.None);
        await catalog.WaitForRefreshesAsync(1).WaitAsync(Guard);
        var afterStart = _upstream.CatalogRequests.Count;

        // Nothing is due a second before the interval: the fake clock fires no timer.
        _time.Advance(TimeSpan.FromSeconds(59));
        var beforeDue = catalog.CompletedRefreshes;
        _time.Advance(TimeSpan.FromSeconds(1));
        await catalog.WaitForRefreshesAsync(2).WaitAsync(Guard);
        _time.Advance(TimeSpan.FromSeconds(60));
        await catalog.WaitForRefreshesAsync(3).WaitAsync(Guard);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(1, afterStart);
        Assert.Equal(1, beforeDue);
        Assert.Equal(3, _upstream.CatalogRequests.Count);
        Assert.All(_upstream.CatalogRequests, request => Assert.Equal("/api/show", request.Path));
        Assert.True(catalog.Get(catalog.GetRoute("local")).Available);
    }

    [Fact]
    public async Task Service_IntervalZero_NeverAsksTheUpstream()
    {
        await using var services = Build(("MODEL_METADATA_REFRESH_SECONDS", "0"));
        var catalog = services.GetRequiredService<ModelMetadataCatalog>();
        var service = RefreshService(services);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(Guard);
        _time.Advance(TimeSpan.FromDays(1));

        Assert.True(service.ExecuteTask.IsCompletedSuccessfully);
        Assert.Equal(0, catalog.CompletedRefreshes);
        Assert.Null(catalog.Get(catalog.GetRoute("local")).Available);
        Assert.Empty(_upstream.CatalogRequests);
    }

    [Fact]
    public async Task Service_Stop_EndsTheLoopWithoutAnError()
    {
        await using var services = Build(("MODEL_METADATA_REFRESH_SECONDS", "300"));
        var catalog = services.GetRequiredService<ModelMetadataCatalog>();
        var service = RefreshService(services);
        await service.StartAsync(CancellationToken.None);
        await catalog.WaitForRefreshesAsync(1).WaitAsync(Guard);

        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
    }

    private ServiceProvider Build(params (string Key, string Value)[] settings) =>
        GatewayServices.Build(
            s => s.AddSingleton<TimeProvider>(_time),
            [("MODEL_ROUTE_LOCAL", $"ollama|{_upstream.BaseAddress}|test-model"), .. settings]);

    private static BackgroundService RefreshService(IServiceProvider services) =>
        Assert.Single(services.GetServices<IHostedService>().OfType<ModelMetadataRefreshService>());
}
