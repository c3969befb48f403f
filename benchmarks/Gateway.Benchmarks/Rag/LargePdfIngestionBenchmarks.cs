using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gateway.Core.Storage.Rag;
using Gateway.Rag;
using Gateway.Rag.Collections;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// One 500-page PDF (<see cref="IngestionCorpus.Pdf"/>) ingested end to end through <see cref="RagService"/>'s file
/// path, once per backend (a single measured run: it takes minutes on the CPU model), with its memory: the
/// managed heap sampled every 10 ms during the run (peak, and before), the process's peak working set, and
/// what the run allocated (MemoryDiagnoser). The log line <c>// pdf:</c> carries the numbers.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class LargePdfIngestionBenchmarks
{
    private ServiceProvider? _services;
    private RagService _rag = null!;
    private RagCollection _collection = null!;
    private string _pdf = "";
    private int _round;

    [Params("sqlite", "postgres")]
    public string Backend { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup()
    {
        _pdf = IngestionCorpus.Pdf;
        (_services, _rag) = IngestionHost.StartAsync(Backend).GetAwaiter().GetResult();
        _collection = _rag.CreateCollectionAsync(new NewRagCollection($"pdf-bench-{Guid.NewGuid():N}")).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => IngestionHost.Stop(_services!);

    [Benchmark(Baseline = true, Description = "Ingest a 500-page PDF (read, extract, chunk, embed, store)")]
    public async Task<int> IngestPdf()
    {
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = before;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(10, CancellationToken.None);
            }
        });
        var watch = Stopwatch.StartNew();
        await using var file = File.OpenRead(_pdf);
        var ingested = await _rag.AddFileAsync(_collection.Id, $"book-{Interlocked.Increment(ref _round)}.pdf", file);
        watch.Stop();
        await done.CancelAsync();
        await sampler;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(
            $"// pdf: {Backend}, {IngestionCorpus.PdfPages} pages ({new FileInfo(_pdf).Length / 1024.0 / 1024:F1} MiB), {ingested.Document.CharacterCount:N0} characters, " +
            $"{ingested.Chunks.Count} chunks in {watch.Elapsed.TotalSeconds:F1} s ({ingested.Chunks.Count / watch.Elapsed.TotalSeconds:F1} chunks/s, " +
            $"{IngestionCorpus.PdfPages / watch.Elapsed.TotalSeconds:F1} pages/s); managed heap {before / 1048576.0:F0} MiB before, peak {peak / 1048576.0:F0} MiB; " +
            $"process peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB");
        return ingested.Chunks.Count;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithWarmupCount(0).WithIterationCount(1).WithInvocationCount(1).WithUnrollFactor(1)
            .WithLaunchCount(1).WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)));
    }
}
