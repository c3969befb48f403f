using System.Diagnostics;
using System.Globalization;

namespace Gateway.Benchmarks.Guard;

/// <summary>
/// <c>Gateway.Benchmarks guard &lt;thresholds.json&gt;</c>: the short benchmark run of build/test.sh. Measures each
/// hot path's allocated bytes per unit (deterministic enough to hold to a committed number) and its time
/// ratio to the benchmark's baseline in the same run (held only to a generous multiple of the committed
/// ratio, as timings on a shared 2-core machine wander); exit code 1 when any is past its limit.
/// </summary>
internal static class HotPathGuard
{
    public static async Task<int> RunAsync(string thresholdsPath, TextWriter output)
    {
        var thresholds = GuardThresholds.Load(thresholdsPath);
        var started = Stopwatch.GetTimestamp();
        var failures = 0;
        output.WriteLine($"{"hot path",-18} {"bytes/unit",12} {"max",10} {"ratio",7} {"bound",7}  verdict");
        foreach (var create in new Func<GuardCase>[] { GuardCases.Streaming, GuardCases.Pipeline, GuardCases.PipelineWithOpenTelemetry, GuardCases.Search })
        {
            var guarded = create();
            try
            {
                if (!thresholds.Cases.TryGetValue(guarded.Name, out var limit))
                {
                    output.WriteLine($"{guarded.Name,-18} has no row in {thresholdsPath}");
                    failures++;
                    continue;
                }

                var measured = await GuardMeasurement.TakeAsync(guarded);
                var bound = limit.Ratio * thresholds.RatioTolerance;
                var problems = new List<string>();
                if (measured.BytesPerUnit > limit.MaxBytesPerUnit)
                {
                    problems.Add($"allocates {measured.BytesPerUnit:F0} B per {guarded.Unit}, over {limit.MaxBytesPerUnit:F0}");
                }

                if (measured.Ratio > bound)
                {
                    problems.Add($"takes {measured.Ratio:F2}x its baseline, over {bound:F2}x ({thresholds.RatioTolerance}x the committed {limit.Ratio:F2}x)");
                }

                failures += problems.Count > 0 ? 1 : 0;
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{guarded.Name,-18} {measured.BytesPerUnit,12:F0} {limit.MaxBytesPerUnit,10:F0} {measured.Ratio,7:F2} {bound,7:F2}  {(problems.Count == 0 ? "ok" : "REGRESSION: " + string.Join("; ", problems))}"));
            }
            finally
            {
                guarded.Cleanup();
            }
        }

        output.WriteLine($"benchmark guard: {(failures == 0 ? "passed" : $"{failures} hot path(s) regressed")} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
        return failures == 0 ? 0 : 1;
    }
}
