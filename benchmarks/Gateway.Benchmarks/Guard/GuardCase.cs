namespace Gateway.Benchmarks.Guard;

/// <summary>
/// One hot path the CI guard measures: a benchmark's baseline and the path under guard, run in this
/// process on a small setup, and how many units (chunks, queries) one operation of the path handles.
/// </summary>
/// <param name="Name">The key of its row in thresholds.json.</param>
/// <param name="Unit">What allocation is counted per: "chunk", "query".</param>
/// <param name="UnitsPerOperation">How many of those one operation handles.</param>
/// <param name="Baseline">One operation of the benchmark's <c>Baseline = true</c> method.</param>
/// <param name="Candidate">One operation of the path under guard.</param>
/// <param name="Cleanup">Stops what the case started.</param>
internal sealed record GuardCase(
    string Name, string Unit, int UnitsPerOperation, Func<Task> Baseline, Func<Task> Candidate, Action Cleanup);
