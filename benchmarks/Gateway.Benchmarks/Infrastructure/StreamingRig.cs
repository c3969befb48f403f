using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// The three paths a streamed chat answer can take in the benchmarks, all on loopback in this process:
/// straight from the test upstream, through the pass-through relay, and through the gateway.
/// </summary>
public sealed class StreamingRig : IAsyncDisposable
{
    private StreamingRig(TestUpstreamServer upstream, PassThroughRelay relay, GatewayTestHost gateway)
    {
        Upstream = upstream;
        Relay = relay;
        Gateway = gateway;
    }

    public TestUpstreamServer Upstream { get; }

    public PassThroughRelay Relay { get; }

    public GatewayTestHost Gateway { get; }

    public StreamingClient Client { get; } = new();

    public Uri DirectAddress => new(Upstream.BaseAddress, "v1/chat/completions");

    public Uri RelayAddress => new(Relay.BaseAddress, "v1/chat/completions");

    public Uri GatewayAddress => new(Gateway.BaseAddress, "api/chat/stream");

    public static async Task<StreamingRig> StartAsync(UpstreamBehavior behavior)
    {
        var upstream = await TestUpstreamServer.StartAsync();
        upstream.Behavior = behavior;
        var relay = await PassThroughRelay.StartAsync(upstream.BaseAddress);
        var gateway = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["MODEL_ROUTE_BENCH"] = $"openai|{upstream.OpenAIBaseAddress}|bench-model",
        });
        return new StreamingRig(upstream, relay, gateway);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        await Relay.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
