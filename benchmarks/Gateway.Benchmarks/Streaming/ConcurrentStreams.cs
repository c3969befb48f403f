using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gateway.Benchmarks.Infrastructure;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// How many concurrent paced streams a hop carries before it delays chunks: N streams at 50 chunks/s
/// each, for a ladder of N, through the pass-through relay and the gateway (each in a process of its
/// own, as in <see cref="CpuPerChunk"/>) and read directly from the upstream (the floor: what the
/// upstream and the client add themselves). A chunk's added latency is the time from the upstream's
/// write (stamped into its content, <see cref="StampedUpstream"/>) to the client's read. Not a
/// BenchmarkDotNet benchmark: one operation is a whole ladder step, and what counts is a percentile over
/// every chunk of the step, not the mean time of an operation.
/// </summary>
public static class ConcurrentStreams
{
    private const int ChunksPerStream = 100;
    private const int Repeats = 3;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Streams start spread over this long, so their chunks are not in phase.</summary>
    private static readonly TimeSpan Ramp = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(10);

    private static readonly int[] Ladder = [50, 100, 200, 300, 500, 750, 1000, 1500, 2000];

    private const string UpstreamBody = """{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";
    private const string GatewayBody = """{"messages":[{"role":"user","content":"Hi"}]}""";

    public static async Task<string> RunAsync(int maxStreams, TextWriter progress)
    {
        await using var upstream = await StampedUpstream.StartAsync();
        upstream.Chunks = ChunksPerStream;
        upstream.Interval = Interval;
        using var relay = await ServedHop.StartAsync("relay", upstream.BaseAddress, spinningThreadPool: true);
        using var gateway = await ServedHop.StartAsync("gateway", upstream.BaseAddress, spinningThreadPool: true);
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromMinutes(3),
        };

        var paths = new[]
        {
            new PathRun("Direct upstream (floor)", new Uri(upstream.BaseAddress, "v1/chat/completions")),
            new PathRun("Pass-through relay", new Uri(relay.BaseAddress, "v1/chat/completions")),
            new PathRun("Gateway /api/chat/stream", new Uri(gateway.BaseAddress, "api/chat/stream")),
        };
        foreach (var path in paths)
        {
            await MeasureAsync(client, path.Address, streams: 20); // JIT, connections
        }

        var ladder = Ladder.Where(n => n <= maxStreams).ToArray();
        foreach (var streams in ladder)
        {
            // The paths take turns, so load from outside this run falls on all of them alike, and each keeps
            // its least disturbed repeat.
            var running = paths.Where(p => p.ConsecutiveFailures < 2).ToArray();
            if (running.Length == 0)
            {
                break;
            }

            for (var repeat = 0; repeat < Repeats; repeat++)
            {
                foreach (var path in running)
                {
                    var step = await MeasureAsync(client, path.Address, streams);
                    progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path.Name}, N={streams}, repeat {repeat + 1}: {step}"));
                    path.Keep(streams, step);
                }
            }

            foreach (var path in running)
            {
                path.ConsecutiveFailures = path.Steps[streams].Passes ? 0 : path.ConsecutiveFailures + 1;
            }
        }

        return Report(ladder, paths);
    }

    private static async Task<StepResult> MeasureAsync(HttpClient client, Uri address, int streams)
    {
        var load = ReadLoadAverage();
        var start = Stopwatch.GetTimestamp();
        var window = (From: start + ToTicks(Ramp), To: start + ToTicks(Interval * ChunksPerStream));
        var recorders = new StreamRecorder[streams];
        var tasks = new Task[streams];
        for (var i = 0; i < streams; i++)
        {
            recorders[i] = new StreamRecorder(window.From, window.To);
            tasks[i] = StreamAsync(client, address, Ramp * i / streams, recorders[i]);
        }

        var failed = 0;
        foreach (var task in tasks)
        {
            try
            {
                await task;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                failed++;
            }
        }

        var latencies = recorders.SelectMany(r => r.Latencies).Order().ToArray();
        var gaps = recorders.SelectMany(r => r.GapExcess).Order().ToArray();
        var rates = recorders.Where(r => r.Rate > 0).Select(r => r.Rate).DefaultIfEmpty(0).Average();
        return new StepResult(
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Length > 0 ? ToMilliseconds(latencies[^1]) : double.NaN,
            Percentile(gaps, 0.99), rates, latencies.Length, failed, load);
    }

    private static async Task StreamAsync(HttpClient client, Uri address, TimeSpan startAfter, StreamRecorder recorder)
    {
        await Task.Delay(startAfter);
        var body = address.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) ? GatewayBody : UpstreamBody;
        using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var scanner = new ChunkStamp.Scanner();
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            scanner.Scan(buffer.AsSpan(0, read), recorder, static (r, stamp) => r.Add(stamp));
        }
    }

    private static string Report(int[] ladder, PathRun[] paths)
    {
        var table = new StringBuilder()
            .Append("| Streams |")
            .AppendJoin(string.Empty, paths.Select(p => $" {p.Name} |"))
            .AppendLine(" Load (1 min) |")
            .Append("|---:|")
            .AppendJoin(string.Empty, paths.Select(_ => "---:|"))
            .AppendLine("---:|");
        foreach (var streams in ladder.Where(n => paths.Any(p => p.Steps.ContainsKey(n))))
        {
            table.Append(CultureInfo.InvariantCulture, $"| {streams:N0} |");
            foreach (var path in paths)
            {
                table.Append(path.Steps.TryGetValue(streams, out var step) ? $" {step.Cell} |" : " left the ladder |");
            }

            var loads = paths.Where(p => p.Steps.ContainsKey(streams)).Select(p => p.Steps[streams].Load).ToArray();
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $" {loads.Min():0.0}–{loads.Max():0.0} |"));
        }

        var rates = paths.SelectMany(p => p.Steps.Values).Select(s => s.ChunksPerSecond).Where(r => r > 0).DefaultIfEmpty(0).ToArray();
        table.AppendLine();
        table.AppendLine(CultureInfo.InvariantCulture, $"Cells: p50 / p99 / max added latency per chunk in ms, bold when p99 is under {Limit.TotalMilliseconds:0} ms; the upstream kept {rates.Min():0.0}–{rates.Max():0.0} chunks/s per stream.");
        table.AppendLine(CultureInfo.InvariantCulture, $"Largest N with p99 added latency under {Limit.TotalMilliseconds:0} ms (ladder {string.Join(", ", ladder)}):");
        foreach (var path in paths)
        {
            var passed = path.Steps.Where(s => s.Value.Passes).Select(s => s.Key).DefaultIfEmpty(0).Max();
            table.AppendLine(CultureInfo.InvariantCulture, $"- {path.Name}: {(passed > 0 ? passed.ToString("N0", CultureInfo.InvariantCulture) : "none")}");
        }

        return table.ToString().TrimEnd();
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : ToMilliseconds(sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))]);

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double ReadLoadAverage() =>
        File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
            : double.NaN;

    /// <summary>One ladder step of one path: percentiles over every chunk written while all streams were open.</summary>
    private sealed record StepResult(
        double P50, double P99, double Max, double GapP99, double ChunksPerSecond, int Chunks, int FailedStreams, double Load)
    {
        public bool Passes => FailedStreams == 0 && Chunks > 0 && P99 < Limit.TotalMilliseconds;

        public string Cell => FailedStreams > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{FailedStreams} streams failed")
            : string.Create(CultureInfo.InvariantCulture, $"{P50:0.0} / {(Passes ? $"**{P99:0.0}**" : $"{P99:0.0}")} / {Max:0}");

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"p50 {P50:0.00} ms, p99 {P99:0.00} ms, max {Max:0.0} ms, p99 gap excess {GapP99:0.00} ms, {ChunksPerSecond:0.0} chunks/s per stream, {Chunks} chunks, {FailedStreams} failed, load {Load:0.0}");
    }

    /// <summary>The stamps one stream received: the latency of each chunk written inside the window, and how much later than its predecessor it arrived than it was sent.</summary>
    private sealed class StreamRecorder(long windowFrom, long windowTo)
    {
        private long _previousStamp;
        private long _previousArrival;
        private long _firstStamp;
        private long _lastStamp;
        private int _count;

        public List<long> Latencies { get; } = new(ChunksPerStream);

        public List<long> GapExcess { get; } = new(ChunksPerStream);

        /// <summary>Chunks per second the upstream managed on this stream.</summary>
        public double Rate => _count > 1 ? (_count - 1) * (double)Stopwatch.Frequency / (_lastStamp - _firstStamp) : 0;

        public void Add(long stamp)
        {
            var arrival = Stopwatch.GetTimestamp();
            _firstStamp = _count == 0 ? stamp : _firstStamp;
            _lastStamp = stamp;
            _count++;
            if (stamp >= windowFrom && stamp < windowTo)
            {
                Latencies.Add(arrival - stamp);
                if (_previousStamp != 0)
                {
                    GapExcess.Add(arrival - _previousArrival - (stamp - _previousStamp));
                }
            }

            (_previousStamp, _previousArrival) = (stamp, arrival);
        }
    }

    /// <summary>One path through the ladder: the step result kept for each N (the repeat with the lowest p99).</summary>
    private sealed class PathRun(string name, Uri address)
    {
        public string Name => name;

        public Uri Address => address;

        public Dictionary<int, StepResult> Steps { get; } = [];

        public int ConsecutiveFailures { get; set; }

        public void Keep(int streams, StepResult step)
        {
            if (!Steps.TryGetValue(streams, out var kept) || Rank(step) < Rank(kept))
            {
                Steps[streams] = step;
            }
        }

        private static double Rank(StepResult step) => step.FailedStreams > 0 || double.IsNaN(step.P99) ? double.MaxValue : step.P99;
    }
}
