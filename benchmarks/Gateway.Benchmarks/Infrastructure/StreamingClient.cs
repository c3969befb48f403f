using System.Diagnostics;
using System.Text;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// The benchmark's client: asks any of the three paths for a streamed answer (the upstream's and the
/// relay's OpenAI request, or the gateway's own) and reads it to the end.
/// </summary>
public sealed class StreamingClient : IDisposable
{
    private const string UpstreamBody = """{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";
    private const string GatewayBody = """{"messages":[{"role":"user","content":"Hi"}]}""";

    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromMinutes(2) };
    private readonly byte[] _buffer = new byte[16 * 1024];

    /// <summary>Streams one whole answer from <paramref name="address"/>; returns the bytes received.</summary>
    public async Task<long> StreamAsync(Uri address)
    {
        using var request = CreateRequest(address);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(_buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Time from sending the request until the first body byte arrives; the rest is read and dropped.</summary>
    public async Task<TimeSpan> TimeToFirstByteAsync(Uri address)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = CreateRequest(address);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await stream.ReadExactlyAsync(_buffer.AsMemory(0, 1));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await stream.CopyToAsync(Stream.Null);
        return elapsed;
    }

    private static HttpRequestMessage CreateRequest(Uri address)
    {
        var body = address.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) ? GatewayBody : UpstreamBody;
        return new HttpRequestMessage(HttpMethod.Post, address) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    public void Dispose() => _client.Dispose();
}
