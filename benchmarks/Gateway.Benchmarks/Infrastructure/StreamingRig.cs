using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// The three paths a streamed chat answer can take in the benchmarks, all on loopback in this process:
/// straight from the test upstream, through the pass-through relay, and through the gateway.
/// </summary>
public sealed class StreamingRig : IAsyncDisposable
{
    private const string UpstreamBody = """{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";
    private const string GatewayBody = """{"messages":[{"role":"user","content":"Hi"}]}""";

    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromMinutes(2) };

    private StreamingRig(TestUpstreamServer upstream, PassThroughRelay relay, GatewayTestHost gateway)
    {
        Upstream = upstream;
        Relay = relay;
        Gateway = gateway;
    }

    public TestUpstreamServer Upstream { get; }

    public PassThroughRelay Relay { get; }

    public GatewayTestHost Gateway { get; }

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

    /// <summary>Time from sending the request until the first body byte arrives.</summary>
    public async Task<TimeSpan> TimeToFirstByteAsync(Uri address)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var request = CreateRequest(address);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1];
        await stream.ReadExactlyAsync(buffer);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        await stream.CopyToAsync(Stream.Null);
        return elapsed;
    }

    public Uri DirectAddress => new(Upstream.BaseAddress, "v1/chat/completions");

    public Uri RelayAddress => new(Relay.BaseAddress, "v1/chat/completions");

    public Uri GatewayAddress => new(Gateway.BaseAddress, "api/chat/stream");

    private static HttpRequestMessage CreateRequest(Uri address)
    {
        var body = address.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) ? GatewayBody : UpstreamBody;
        return new HttpRequestMessage(HttpMethod.Post, address) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
    }

    /// <summary>Streams one whole answer from <paramref name="address"/>; returns the bytes received.</summary>
    public async Task<long> StreamAsync(Uri address)
    {
        using var request = CreateRequest(address);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Gateway.DisposeAsync();
        await Relay.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
