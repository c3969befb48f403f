using Gateway.Core.Models;
using Gateway.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Core.Tests.Models;

/// <summary>
/// A provider package's own <see cref="IModelMetadataSource"/>, registered the way Gateway.Onnx would:
/// its report, details and failures reach the catalog like the built-in sources'.
/// </summary>
public sealed class PluggedInSourceTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task RefreshAsync_PluggedInSource_ShowsItsQuantizationAndRuntimeDetails()
    {
        var source = new LocalRuntimeSource(_ => new ModelMetadataReport("local:model-file", Available: true)
        {
            Quantization = new ModelQuantization("int4", "3.8B", "phi3", "onnx"),
            Capabilities = new ModelCapabilities(Chat: true, Streaming: true, Tools: false, Embeddings: false, Vision: false),
            ContextLength = 4096,
            Details = new Dictionary<string, string> { ["executionProvider"] = "cpu", ["runtime"] = "onnxruntime-genai" },
        });
        using var services = Build(source);
        var catalog = services.GetRequiredService<ModelMetadataCatalog>();
        var route = services.GetRequiredService<RouteTable>().Routes[0];

        await catalog.RefreshAsync();
        var metadata = catalog.Get(route);

        Assert.Same(route, Assert.Single(source.Asked));
        Assert.True(metadata.Available);
        Assert.Equal("local:model-file", metadata.Source.MetadataSource);
        Assert.Equal(new ModelQuantization("int4", "3.8B", "phi3", "onnx"), metadata.Quantization);
        Assert.Equal("local:model-file", metadata.QuantizationSource);
        Assert.Equal(4096, metadata.ContextLength);
        Assert.Equal("cpu", metadata.Details["executionProvider"]);
    }

    [Theory]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(OperationCanceledException))]
    [InlineData(typeof(IOException))]
    public async Task RefreshAsync_SourceThrows_RouteIsUnavailableWithTheMessageAndTheRoundCompletes(Type exceptionType)
    {
        var source = new LocalRuntimeSource(_ => throw (Exception)Activator.CreateInstance(exceptionType, "the model file is locked")!);
        using var services = Build(source);
        var catalog = services.GetRequiredService<ModelMetadataCatalog>();
        var route = services.GetRequiredService<RouteTable>().Routes[0];

        await catalog.RefreshAsync();
        var metadata = catalog.Get(route);

        Assert.False(metadata.Available);
        Assert.Equal("the model file is locked", metadata.UnavailableReason);
        Assert.Equal(_time.GetUtcNow(), metadata.CheckedAt);
        Assert.Equal(1, catalog.CompletedRefreshes);
    }

    [Fact]
    public async Task RefreshAsync_CallerCancels_PropagatesAndRecordsNothing()
    {
        var source = new LocalRuntimeSource(_ => throw new InvalidOperationException("never asked"));
        using var services = Build(source);
        var catalog = services.GetRequiredService<ModelMetadataCatalog>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => catalog.RefreshAsync(cancelled.Token));

        Assert.Null(catalog.Get(services.GetRequiredService<RouteTable>().Routes[0]).Available);
        Assert.Equal(0, catalog.CompletedRefreshes);
    }

    /// <summary>Registered before AddGateway(), so it answers for <c>ollama</c> routes instead of the built-in source.</summary>
    private ServiceProvider Build(LocalRuntimeSource source) =>
        GatewayServices.Build(
            services =>
            {
                services.AddSingleton<TimeProvider>(_time);
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelMetadataSource>(source));
            },
            ("MODEL_ROUTE_LOCAL", "ollama|http://127.0.0.1:9|phi3"));

    private sealed class LocalRuntimeSource(Func<ModelRoute, ModelMetadataReport> describe) : IModelMetadataSource
    {
        public List<ModelRoute> Asked { get; } = [];

        public string Provider => "ollama";

        public ModelCapabilities DefaultCapabilities => ModelCapabilities.ChatAndStreaming;

        public ValueTask<ModelMetadataReport> FetchAsync(ModelRoute route, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Asked.Add(route);
            return ValueTask.FromResult(describe(route));
        }
    }
}
