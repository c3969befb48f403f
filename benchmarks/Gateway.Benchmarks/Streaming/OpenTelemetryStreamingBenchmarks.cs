using BenchmarkDotNet.Attributes;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Benchmarks.Infrastructure;
using Gateway.TestUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// The streaming hot path over HTTP with and without <c>AddOpenTelemetry()</c>: one test upstream sending
/// <see cref="Chunks"/> deltas back to back, two gateways on loopback in this process, one of them with the GenAI
/// middleware and its spans and measurements taken as an exporter would. The gateway without it is the baseline.
/// </summary>
[MemoryDiagnoser]
public class OpenTelemetryStreamingBenchmarks
{
    private TestUpstreamServer _upstream = null!;
    private GatewayTestHost _plain = null!;
    private GatewayTestHost _traced = null!;
    private GenAITelemetryListener _listener = null!;
    private readonly StreamingClient _client = new();

    [Params(100, 1000)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Gateway /api/chat/stream")]
    public Task<long> Plain() => _client.StreamAsync(new Uri(_plain.BaseAddress, "api/chat/stream"));

    [Benchmark(Description = "Gateway + OpenTelemetry, exported")]
    public Task<long> Traced() => _client.StreamAsync(new Uri(_traced.BaseAddress, "api/chat/stream"));

    private async Task SetupAsync()
    {
        _upstream = await TestUpstreamServer.StartAsync();
        _upstream.Behavior = new UpstreamBehavior { Chunks = Enumerable.Repeat("token ", Chunks).ToArray() };
        var settings = new Dictionary<string, string?> { ["MODEL_ROUTE_BENCH"] = $"openai|{_upstream.OpenAIBaseAddress}|bench-model" };
        _plain = await GatewayTestHost.StartAsync(settings);
        _traced = await GatewayTestHost.StartAsync(settings, gateway => gateway.AddOpenTelemetry());
        _listener = new GenAITelemetryListener();
    }

    private async Task CleanupAsync()
    {
        _listener.Dispose();
        _client.Dispose();
        await _traced.DisposeAsync();
        await _plain.DisposeAsync();
        await _upstream.DisposeAsync();
    }
}
