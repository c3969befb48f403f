using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// One request per iteration, so the P95 column is the 95th percentile of single requests (not of
/// averages over many), the number the search targets are stated in. Fifteen warm-up requests bring the
/// managed code to its steady (fully optimised) tier, as in a server that has been up for a while.
/// </summary>
public sealed class PerRequestConfig : ManualConfig
{
    public PerRequestConfig()
    {
        AddJob(Job.Default.WithInvocationCount(1).WithUnrollFactor(1).WithWarmupCount(15).WithIterationCount(40).WithLaunchCount(1));
        AddColumn(StatisticColumn.P95);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}

/// <summary>Writes: a default job cut to fewer iterations (each one appends thousands of rows), with P95.</summary>
public sealed class WriteConfig : ManualConfig
{
    public WriteConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithLaunchCount(1));
        AddColumn(StatisticColumn.P95);
    }
}

/// <summary>Whole imports: a fresh database per iteration (set up outside the measurement), one import each.</summary>
public sealed class ImportConfig : ManualConfig
{
    public ImportConfig()
    {
        AddJob(Job.Default.WithInvocationCount(1).WithUnrollFactor(1).WithWarmupCount(1).WithIterationCount(5).WithLaunchCount(1));
        AddColumn(StatisticColumn.P95);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
