using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Core.Chat;
using Gateway.Core.Embeddings;
using Gateway.Core.Telemetry;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Tests.Telemetry;

/// <summary>
/// <c>AddOpenTelemetry()</c>: each call of a route's model and each embedding request is a GenAI span on
/// <see cref="GatewayOpenTelemetry.ActivitySourceName"/> with the semantic conventions' tags, and is measured
/// on <see cref="GatewayOpenTelemetry.MeterName"/>.
/// </summary>
public sealed class GenAITelemetryTests : IAsyncLifetime
{
    // A model name no other test uses, so spans and measurements of tests running beside this one are told apart.
    private static readonly string Model = $"otel-model-{Guid.NewGuid():N}";
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];

    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private ActivityListener _activityListener = null!;
    private MeterListener _meterListener = null!;
    private TestUpstreamServer _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstreamServer.StartAsync();
        _upstream.Behavior = new UpstreamBehavior { PromptTokens = 11, CompletionTokens = 4 };
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayOpenTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GatewayOpenTelemetry.MeterName && instrument.Name.StartsWith("gen_ai.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.Start();
    }

    public async Task DisposeAsync()
    {
        _meterListener.Dispose();
        _activityListener.Dispose();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task CompleteAsync_ThroughARoute_IsAChatSpanWithModelAndUsage_AndMeasured()
    {
        using var services = Build(gateway => gateway.AddOpenTelemetry());
        var chat = services.GetRequiredService<ChatService>();

        var response = await chat.CompleteAsync(chat.Router.Resolve("main"), Hello, new ChatOptions { MaxOutputTokens = 50, Temperature = 0.5f });

        Assert.Equal("Hello, world!", response.Text);
        var span = Assert.Single(SpansOf(Model));
        Assert.Equal($"chat {Model}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(50, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(0.5f, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(11, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens")));
        Assert.Equal(4, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens")));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Contains(MeasurementsOf("gen_ai.client.operation.duration"), m => m.Value > 0);
        Assert.Contains(MeasurementsOf("gen_ai.client.token.usage"), m => m.Value == 11 && Equals(m.Tags["gen_ai.token.type"], "input"));
        Assert.Contains(MeasurementsOf("gen_ai.client.token.usage"), m => m.Value == 4 && Equals(m.Tags["gen_ai.token.type"], "output"));
    }

    [Fact]
    public async Task StreamAsync_ThroughARoute_IsOneChatSpanThatEndsWithTheStream_WithUsageAndFinishReason()
    {
        using var services = Build(gateway => gateway.AddOpenTelemetry());
        var chat = services.GetRequiredService<ChatService>();

        var updates = 0;
        await foreach (var _ in chat.StreamAsync(chat.Router.Resolve("main"), Hello, null))
        {
            updates++;
            Assert.Empty(SpansOf(Model));
        }

        Assert.True(updates > 1);
        var span = Assert.Single(SpansOf(Model));
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(11, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens")));
        Assert.Equal(4, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens")));
        Assert.Equal("[\"stop\"]", span.GetTagItem("gen_ai.response.finish_reasons"));
    }

    [Fact]
    public async Task AFailedCall_IsASpanWithTheErrorType()
    {
        using var services = Build(gateway => gateway.AddOpenTelemetry(), ("UPSTREAM_MAX_RETRIES", "0"));
        var chat = services.GetRequiredService<ChatService>();
        _upstream.Behavior = new UpstreamBehavior { FailWithStatus = 500 };

        await Assert.ThrowsAnyAsync<Exception>(() => chat.CompleteAsync(chat.Router.Resolve("main"), Hello, null));

        var span = Assert.Single(SpansOf(Model));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.NotNull(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task WithoutAddOpenTelemetry_ARouteRecordsNoSpan()
    {
        using var services = Build(_ => { });
        var chat = services.GetRequiredService<ChatService>();

        await chat.CompleteAsync(chat.Router.Resolve("main"), Hello, null);

        Assert.Empty(SpansOf(Model));
        Assert.Empty(MeasurementsOf("gen_ai.client.operation.duration"));
    }

    [Fact]
    public async Task EmbedAsync_IsAnEmbeddingsSpanWithModelAndUsage()
    {
        using var services = Build(gateway =>
        {
            gateway.AddEmbeddings().AddOpenTelemetry();
            gateway.Services.AddSingleton<IEmbeddingModelSource>(new FixedEmbeddingModelSource(Model));
        }, ("DEFAULT_EMBEDDING_MODEL", Model));

        var result = await services.GetRequiredService<EmbeddingService>().EmbedAsync(null, ["one", "two"]);

        Assert.Equal(2, result.Embeddings.Count);
        var span = Assert.Single(SpansOf(Model));
        Assert.Equal($"embeddings {Model}", span.DisplayName);
        Assert.Equal("embeddings", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(Model, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(6, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens")));
    }

    private ServiceProvider Build(Action<IGatewayBuilder> gateway, params (string Key, string Value)[] settings) =>
        GatewayServices.Build(
            services => gateway(services.AddGateway()),
            [("MODEL_ROUTE_MAIN", $"openai|{_upstream.OpenAIBaseAddress}|{Model}"), .. settings]);

    private List<Activity> SpansOf(string model) =>
        [.. _spans.Where(span => Equals(span.GetTagItem("gen_ai.request.model"), model))];

    private List<(string Instrument, double Value, Dictionary<string, object?> Tags)> MeasurementsOf(string instrument) =>
        [.. _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("gen_ai.request.model"), Model))];

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }

    private sealed class FixedEmbeddingModelSource(string name) : IEmbeddingModelSource
    {
        public IReadOnlyList<EmbeddingModel> LoadModels() =>
            [new(new EmbeddingModelInfo(name, 3, 512, "test", "cpu", "memory"), new CountingGenerator(name))];
    }

    /// <summary>Returns a fixed vector per input and reports three tokens per input.</summary>
    private sealed class CountingGenerator(string name) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly EmbeddingGeneratorMetadata _metadata = new("test", defaultModelId: name, defaultModelDimensions: 3);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var embeddings = values.Select(_ => new Embedding<float>(new float[] { 1, 0, 0 })).ToList();
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings)
            {
                Usage = new UsageDetails { InputTokenCount = 3 * embeddings.Count },
            });
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;

        public void Dispose()
        {
        }
    }
}
