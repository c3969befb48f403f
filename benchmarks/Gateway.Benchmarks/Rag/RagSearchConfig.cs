using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// One search per iteration, so P95 is the 95th percentile of single requests (the number the target is
/// stated in), in the benchmark's own process (no generated project to build on the shared machine; the
/// setup opens a corpus of 100,000 chunks once per case): 5 warm-up searches, then 30 measured (the cases share one process, so the code is at its optimised tier after the first).
/// </summary>
public sealed class RagSearchConfig : ManualConfig
{
    public RagSearchConfig()
    {
        AddJob(Job.Default.WithInvocationCount(1).WithUnrollFactor(1).WithWarmupCount(5).WithIterationCount(30).WithLaunchCount(1)
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddColumn(StatisticColumn.P95);
    }
}
