using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gateway.Benchmarks.Vectors;

/// <summary>A short job in the benchmark's own process (no generated project to build on the shared machine; the scans take milliseconds): 2 warm-ups, 10 iterations, with P95 and operations (queries) per second.</summary>
public sealed class VectorBenchConfig : ManualConfig
{
    public VectorBenchConfig()
    {
        AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(10).WithLaunchCount(1).WithToolchain(InProcessEmitToolchain.Instance));
        AddColumn(StatisticColumn.P95, StatisticColumn.OperationsPerSecond);
    }
}
