using System.Diagnostics;
using System.Globalization;
using Gateway.Benchmarks.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// CPU time per streamed chunk, which BenchmarkDotNet does not measure: the process's CPU time over
/// many 1,000-chunk streams on each path. Everything runs in this process, so the relay's and the
/// gateway's own cost is their CPU minus the Direct path's; the target compares those two.
/// </summary>
public static class CpuPerChunk
{
    private const int ChunksPerStream = 1000;

    public static async Task<string> RunAsync(int streams = 200)
    {
        await using var rig = await StreamingRig.StartAsync(
            new UpstreamBehavior { Chunks = Enumerable.Repeat("token ", ChunksPerStream).ToArray() });

        var paths = new (string Name, Uri Address)[]
        {
            ("Direct upstream", rig.DirectAddress),
            ("Pass-through relay", rig.RelayAddress),
            ("Gateway /api/chat/stream", rig.GatewayAddress),
        };

        foreach (var (_, address) in paths)
        {
            for (var i = 0; i < 20; i++)
            {
                await rig.StreamAsync(address);
            }
        }

        var perChunk = new Dictionary<string, double>();
        foreach (var (name, address) in paths)
        {
            var process = Process.GetCurrentProcess();
            var before = process.TotalProcessorTime;
            for (var i = 0; i < streams; i++)
            {
                await rig.StreamAsync(address);
            }

            process.Refresh();
            perChunk[name] = (process.TotalProcessorTime - before).TotalMicroseconds / (streams * (double)ChunksPerStream);
        }

        var direct = perChunk["Direct upstream"];
        var relayAdded = perChunk["Pass-through relay"] - direct;
        var lines = new List<string>
        {
            "| Path | CPU µs per chunk (whole process) | Added over direct µs | Added / relay's added |",
            "|---|---:|---:|---:|",
        };
        foreach (var (name, value) in perChunk)
        {
            var added = value - direct;
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {value:0.00} | {(name == "Direct upstream" ? "–" : added.ToString("0.00", CultureInfo.InvariantCulture))} | {(name == "Direct upstream" ? "–" : (added / relayAdded).ToString("0.00", CultureInfo.InvariantCulture))} |"));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
