using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Benchmarks.Guard;

/// <summary>benchmarks/guard/thresholds.json: the committed limits of each guarded hot path.</summary>
internal sealed record GuardThresholds(
    [property: JsonPropertyName("ratioTolerance")] double RatioTolerance,
    [property: JsonPropertyName("cases")] IReadOnlyDictionary<string, GuardLimit> Cases)
{
    public static GuardThresholds Load(string path) =>
        JsonSerializer.Deserialize<GuardThresholds>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} holds no thresholds.");
}

/// <summary>One hot path's limits.</summary>
/// <param name="MaxBytesPerUnit">Allocated bytes per unit above which the guard fails.</param>
/// <param name="Ratio">The committed time ratio to the baseline; the guard fails past it times the tolerance.</param>
internal sealed record GuardLimit(
    [property: JsonPropertyName("maxBytesPerUnit")] double MaxBytesPerUnit,
    [property: JsonPropertyName("ratio")] double Ratio);
