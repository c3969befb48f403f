using System.Diagnostics;

namespace Gateway.Benchmarks.Guard;

/// <summary>What the guard measured of one case.</summary>
/// <param name="BytesPerUnit">Allocated bytes per unit: the least of several rounds, so a stray background allocation does not count.</param>
/// <param name="Ratio">The path's median round time over the baseline's, rounds interleaved so both see the same machine.</param>
internal sealed record GuardMeasurement(double BytesPerUnit, double Ratio)
{
    private const int WarmupOperations = 40;
    private const int AllocationRounds = 3;
    private const int AllocationOperations = 20;
    private const int TimingRounds = 31;
    private const int TimingOperations = 10;

    public static async Task<GuardMeasurement> TakeAsync(GuardCase guarded)
    {
        // Enough calls for the JIT to reach its optimised tier on both paths before anything counts.
        for (var i = 0; i < WarmupOperations; i++)
        {
            await guarded.Baseline();
            await guarded.Candidate();
        }

        var bytes = double.MaxValue;
        for (var round = 0; round < AllocationRounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await RepeatAsync(guarded.Candidate, AllocationOperations);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            bytes = Math.Min(bytes, (double)allocated / (AllocationOperations * guarded.UnitsPerOperation));
        }

        var baseline = new List<double>(TimingRounds);
        var candidate = new List<double>(TimingRounds);
        for (var round = 0; round < TimingRounds; round++)
        {
            baseline.Add(await TimeAsync(guarded.Baseline));
            candidate.Add(await TimeAsync(guarded.Candidate));
        }

        return new GuardMeasurement(bytes, Median(candidate) / Median(baseline));
    }

    private static async Task<double> TimeAsync(Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await RepeatAsync(operation, TimingOperations);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task RepeatAsync(Func<Task> operation, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await operation();
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
