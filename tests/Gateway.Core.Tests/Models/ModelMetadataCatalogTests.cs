using System.Net;
using System.Net.Sockets;
using Gateway.Core.Models;
using Gateway.Core.Routing;
using Gateway.TestUpstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Core.Tests.Models;

/// <summary>The catalog with the real Ollama and OpenAI-compatible sources against the test upstream on loopback.</summary>
public sealed class ModelMetadataCatalogTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> _providers = [];
    private TestUpstreamServer _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _upstream.DisposeAsync();
    }

    [Fact]
    public void Get_BeforeAnyRefresh_ShowsUnknownAvailabilityAndProviderDefaults()
    {
        var (catalog, route) = Build(("MODEL_ROUTE_LOCAL", $"ollama|{_upstream.BaseAddress}|test-model"));

        var metadata = catalog.Get(route);

        Assert.Null(metadata.Available);
        Assert.Null(metadata.CheckedAt);
        Assert.Equal(ModelCapabilities.ChatAndStreaming, metadata.Capabilities);
        Assert.Equal("default", metadata.CapabilitiesSource);
        Assert.Equal("default", metadata.Source.MetadataSource);
        Assert.Null(metadata.Quantization);
        Assert.Empty(_upstream.CatalogRequests);
    }

    [Fact]
    public async Task RefreshAsync_OllamaRoute_ReadsDetailsModelInfoAndCapabilitiesFromApiShow()
    {
        _upstream.Models = [new UpstreamModel("qwen2.5:7b")
        {
            Family = "qwen2",
            ParameterSize = "7.6B",
            QuantizationLevel = "Q5_K_M",
            ContextLength = 32_768,
            ParameterCount = 7_615_616_512,
            Capabilities = ["completion", "tools", "insert"],
        }];
        var (catalog, route) = Build(("MODEL_ROUTE_QWEN", $"ollama|{_upstream.BaseAddress}|qwen2.5:7b"));

        await catalog.RefreshAsync();
        var metadata = catalog.Get(route);

        var show = Assert.Single(_upstream.CatalogRequests);
        Assert.Equal("/api/show", show.Path);
        Assert.Equal("""{"model":"qwen2.5:7b"}""", show.Body);
        Assert.True(metadata.Available);
        Assert.Equal(_time.GetUtcNow(), metadata.CheckedAt);
        Assert.Equal(_time.GetUtcNow(), metadata.LastAvailableAt);
        Assert.Equal(new ModelQuantization("Q5_K_M", "7.6B", "qwen2", "gguf"), metadata.Quantization);
        Assert.Equal("ollama:/api/show", metadata.QuantizationSource);
        Assert.Equal(32_768, metadata.ContextLength);
        Assert.Equal(new ModelCapabilities(Chat: true, Streaming: true, Tools: true, Embeddings: false, Vision: false), metadata.Capabilities);
        Assert.Equal("ollama:/api/show", metadata.CapabilitiesSource);
        Assert.Equal(new ModelSource("ollama", $"127.0.0.1:{_upstream.BaseAddress.Port}", "qwen2.5:7b", "ollama:/api/show"), metadata.Source);
        Assert.Equal("completion,tools,insert", metadata.Details["upstreamCapabilities"]);
        Assert.Equal("7615616512", metadata.Details["parameterCount"]);
        Assert.Equal("qwen2", metadata.Details["architecture"]);
    }

    [Fact]
    public async Task RefreshAsync_EmbeddingAndVisionModels_MapOllamaCapabilityNames()
    {
        _upstream.Models =
        [
            new UpstreamModel("nomic-embed-text") { Family = "nomic-bert", Capabilities = ["embedding"] },
            new UpstreamModel("llava") { Capabilities = ["completion", "vision"] },
        ];
        var (catalog, _) = Build(
            ("MODEL_ROUTE_EMBED", $"ollama|{_upstream.BaseAddress}|nomic-embed-text"),
            ("MODEL_ROUTE_LLAVA", $"ollama|{_upstream.BaseAddress}|llava"));

        await catalog.RefreshAsync();

        Assert.Equal(new ModelCapabilities(false, false, false, Embeddings: true, false), catalog.Get(catalog.GetRoute("embed")).Capabilities);
        Assert.Equal(new ModelCapabilities(true, true, false, false, Vision: true), catalog.Get(catalog.GetRoute("llava")).Capabilities);
    }

    [Fact]
    public async Task RefreshAsync_OllamaWithoutCapabilities_FallsBackToConfigurationThenDefaults()
    {
        _upstream.Models = [new UpstreamModel("old-model") { Capabilities = null, ContextLength = null }];
        var (catalog, _) = Build(
            ("MODEL_ROUTE_CONFIGURED", $"ollama|{_upstream.BaseAddress}|old-model"),
            ("MODEL_CAPABILITIES_CONFIGURED", "chat, tools"),
            ("Gateway:Routes:configured:ContextLength", "4096"),
            ("MODEL_ROUTE_PLAIN", $"ollama|{_upstream.BaseAddress}|old-model"));

        await catalog.RefreshAsync();
        var configured = catalog.Get(catalog.GetRoute("configured"));
        var plain = catalog.Get(catalog.GetRoute("plain"));

        Assert.Equal(new ModelCapabilities(Chat: true, false, Tools: true, false, false), configured.Capabilities);
        Assert.Equal("configuration", configured.CapabilitiesSource);
        Assert.Equal(4096, configured.ContextLength);
        Assert.Equal("Q4_K_M", configured.Quantization?.Level);
        Assert.Equal(ModelCapabilities.ChatAndStreaming, plain.Capabilities);
        Assert.Equal("default", plain.CapabilitiesSource);
        Assert.Null(plain.ContextLength);
    }

    [Fact]
    public async Task RefreshAsync_OpenAIRoute_ListedModelIsAvailableWithConfiguredQuantization()
    {
        var (catalog, route) = Build(
            ("MODEL_ROUTE_VLLM", $"openai|{_upstream.OpenAIBaseAddress}|test-model|env:UPSTREAM_KEY"),
            ("UPSTREAM_KEY", "sk-upstream"),
            ("Gateway:Routes:vllm:Quantization", "AWQ"),
            ("Gateway:Routes:vllm:Format", "safetensors"));

        await catalog.RefreshAsync();
        var metadata = catalog.Get(route);

        var list = Assert.Single(_upstream.CatalogRequests);
        Assert.Equal("/v1/models", list.Path);
        Assert.Equal("Bearer sk-upstream", list.Authorization);
        Assert.True(metadata.Available);
        Assert.Equal("openai:/v1/models", metadata.Source.MetadataSource);
        Assert.Equal("test", metadata.Details["ownedBy"]);
        Assert.Equal(new ModelQuantization("AWQ", null, null, "safetensors"), metadata.Quantization);
        Assert.Equal("configuration", metadata.QuantizationSource);
        Assert.Equal("default", metadata.CapabilitiesSource);
    }

    [Fact]
    public async Task RefreshAsync_OpenAIModelNotListed_IsUnavailableNamingWhatIsListed()
    {
        var (catalog, route) = Build(("MODEL_ROUTE_GPT", $"openai|{_upstream.OpenAIBaseAddress}|gpt-5"));

        await catalog.RefreshAsync();
        var metadata = catalog.Get(route);

        Assert.False(metadata.Available);
        Assert.Contains("'gpt-5'", metadata.UnavailableReason);
        Assert.Contains("test-model", metadata.UnavailableReason);
        Assert.Null(metadata.LastAvailableAt);
    }

    [Fact]
    public async Task RefreshAsync_UnreachableUpstream_IsUnavailableWithTheReasonAndWhenChecked()
    {
        var port = ClosedPort();
        var (catalog, route) = Build(("MODEL_ROUTE_GONE", $"ollama|http://127.0.0.1:{port}|test-model"));

        await catalog.RefreshAsync();
        var metadata = catalog.Get(route);

        Assert.False(metadata.Available);
        Assert.Contains("could not be reached", metadata.UnavailableReason);
        Assert.Contains($"127.0.0.1:{port}", metadata.UnavailableReason);
        Assert.Equal(_time.GetUtcNow(), metadata.CheckedAt);
        Assert.Equal("default", metadata.Source.MetadataSource);
        Assert.Equal(1, catalog.CompletedRefreshes);
    }

    [Fact]
    public async Task RefreshAsync_ModelRemovedLater_TurnsUnavailableButKeepsTheLastKnownFacts()
    {
        var (catalog, route) = Build(("MODEL_ROUTE_LOCAL", $"ollama|{_upstream.BaseAddress}|test-model"));
        await catalog.RefreshAsync();
        var seenAt = _time.GetUtcNow();

        _upstream.Models = [];
        _time.Advance(TimeSpan.FromMinutes(5));
        await catalog.RefreshAsync();
        var metadata = catalog.Get(route);

        Assert.False(metadata.Available);
        Assert.Contains("has no model 'test-model'", metadata.UnavailableReason);
        Assert.Contains("ollama pull test-model", metadata.UnavailableReason);
        Assert.Equal(_time.GetUtcNow(), metadata.CheckedAt);
        Assert.Equal(seenAt, metadata.LastAvailableAt);
        Assert.Equal("Q4_K_M", metadata.Quantization?.Level);
        Assert.Equal("ollama:/api/show", metadata.Source.MetadataSource);

        _upstream.Models = [new UpstreamModel("test-model")];
        await catalog.RefreshAsync();
        Assert.True(catalog.Get(route).Available);
        Assert.Null(catalog.Get(route).UnavailableReason);
    }

    [Fact]
    public async Task RefreshAsync_RouteWithTwoDeployments_AsksEachUpstreamAndKeepsEachOnesMetadata()
    {
        var port = ClosedPort();
        var (catalog, route) = Build(("MODEL_ROUTE_MAIN", $"ollama|http://127.0.0.1:{port}|gone-model;openai|{_upstream.OpenAIBaseAddress}|test-model"));

        await catalog.RefreshAsync();
        var deployments = catalog.GetDeployments(route);

        Assert.Equal(2, deployments.Count);
        Assert.Equal(("ollama", "gone-model", false), (deployments[0].Source.Provider, deployments[0].Source.UpstreamModel, deployments[0].Available));
        Assert.Contains($"127.0.0.1:{port}", deployments[0].UnavailableReason);
        Assert.Equal(("openai", "test-model", true), (deployments[1].Source.Provider, deployments[1].Source.UpstreamModel, deployments[1].Available));
        Assert.Equal("openai:/v1/models", deployments[1].Source.MetadataSource);
        Assert.Same(deployments[0], catalog.Get(route));
        Assert.Equal("/v1/models", Assert.Single(_upstream.CatalogRequests).Path);
    }

    [Fact]
    public void GetRoute_UnknownOrMalformedKey_ThrowsRouteNotFoundListingKeys()
    {
        var (catalog, _) = Build(("MODEL_ROUTE_LOCAL", $"ollama|{_upstream.BaseAddress}|test-model"));

        var unknown = Assert.Throws<Errors.GatewayException>(() => catalog.GetRoute("nope"));
        var malformed = Assert.Throws<Errors.GatewayException>(() => catalog.GetRoute("bad key!"));

        Assert.Equal("route_not_found", unknown.ErrorCode);
        Assert.Equal(Errors.GatewayErrorKind.NotFound, unknown.Kind);
        Assert.Equal(new[] { "local" }, unknown.Extensions["availableKeys"]);
        Assert.Equal("route_not_found", malformed.ErrorCode);
    }

    [Fact]
    public async Task WaitForRefreshesAsync_CompletesOnlyAfterThatManyRounds()
    {
        var (catalog, _) = Build(("MODEL_ROUTE_LOCAL", $"ollama|{_upstream.BaseAddress}|test-model"));
        var waiting = catalog.WaitForRefreshesAsync(2);

        await catalog.RefreshAsync();
        var afterOne = waiting.IsCompleted;
        await catalog.RefreshAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(afterOne);
        Assert.Equal(2, catalog.CompletedRefreshes);
    }

    private (ModelMetadataCatalog Catalog, ModelRoute Route) Build(params (string Key, string Value)[] settings)
    {
        var services = GatewayServices.Build(s => s.AddSingleton<TimeProvider>(_time), settings);
        _providers.Add(services);
        var catalog = services.GetRequiredService<ModelMetadataCatalog>();
        return (catalog, services.GetRequiredService<RouteTable>().Routes[0]);
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
