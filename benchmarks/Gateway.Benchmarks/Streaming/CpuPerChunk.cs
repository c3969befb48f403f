using System.Globalization;
using System.Text;
using Gateway.Benchmarks.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// CPU time per streamed chunk, which BenchmarkDotNet does not measure. The pass-through relay and
/// the gateway each run in a child process of their own (<see cref="ServedHop"/>), so the child's CPU
/// time over many streams, divided by the chunks relayed, is that hop's own cost per chunk.
/// </summary>
public static class CpuPerChunk
{
    public static async Task<string> RunAsync()
    {
        var report = new StringBuilder();
        foreach (var spinning in new[] { true, false })
        {
            var runtime = spinning ? "default thread pool" : "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0";
            report.AppendLine(CultureInfo.InvariantCulture, $"Paced, {runtime}: 50 chunks per stream, one every 2 ms (each chunk crosses every hop on its own)");
            report.AppendLine(await MeasureAsync(chunks: 50, TimeSpan.FromMilliseconds(2), streams: 100, spinning));
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Burst, {runtime}: 1,000 chunks per stream, back to back");
            report.AppendLine(await MeasureAsync(chunks: 1000, TimeSpan.Zero, streams: 300, spinning));
            report.AppendLine();
        }

        return report.ToString().TrimEnd();
    }

    private static async Task<string> MeasureAsync(int chunks, TimeSpan chunkDelay, int streams, bool spinningThreadPool)
    {
        await using var upstream = await TestUpstreamServer.StartAsync();
        upstream.Behavior = new UpstreamBehavior { Chunks = Enumerable.Repeat("token ", chunks).ToArray(), ChunkDelay = chunkDelay };
        using var client = new StreamingClient();

        var results = new List<(string Name, double Micros)>();
        foreach (var (name, kind, path) in new[] { ("Pass-through relay", "relay", "v1/chat/completions"), ("Gateway /api/chat/stream", "gateway", "api/chat/stream") })
        {
            using var hop = await ServedHop.StartAsync(kind, upstream.BaseAddress, spinningThreadPool);
            var address = new Uri(hop.BaseAddress, path);
            for (var i = 0; i < 20; i++)
            {
                await client.StreamAsync(address);
            }

            var before = hop.CpuTime;
            for (var i = 0; i < streams; i++)
            {
                await client.StreamAsync(address);
            }

            results.Add((name, (hop.CpuTime - before).TotalMicroseconds / (streams * (double)chunks)));
        }

        var relay = results[0].Micros;
        var table = new StringBuilder()
            .AppendLine("| Hop (own process) | CPU µs per chunk | Ratio to relay |")
            .AppendLine("|---|---:|---:|");
        foreach (var (name, micros) in results)
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {micros:0.00} | {micros / relay:0.00} |"));
        }

        return table.ToString().TrimEnd();
    }
}
