namespace Gateway.Architecture.Tests;

/// <summary>
/// docs/adr/0001-package-boundaries.md as data: its table of what each package may depend on, and the heavy
/// dependencies its context names (storage engines, ONNX Runtime, Redis, ASP.NET Core), each kept in the one
/// package that exists to carry it. A change to the ADR's table changes these rows in the same commit
/// (<see cref="AdrTableTests"/> fails until it does).
/// </summary>
public static class Adr0001
{
    public const string Path = "docs/adr/0001-package-boundaries.md";

    private const string Core = "Gateway.Core";

    public static IReadOnlyList<PackageRule> Rules { get; } =
    [
        // "Microsoft.Extensions.* packages and System.* only", and Polly, which the ADR admits by name.
        new(Core, [], OnlyExternal: ["Microsoft.Extensions", "System", "Polly"]),
        new("Gateway.Storage.Sqlite", [Core]),
        new("Gateway.Storage.Postgres", [Core]),
        new("Gateway.Flow", [Core]),
        new("Gateway.Rag", [Core]),
        new("Gateway.Training", [Core]),
        new("Gateway.Onnx", [Core]),
        new("Gateway.Redis", [Core]),
        new("Gateway.AspNetCore", [Core, "Gateway.Rag"]),
    ];

    /// <summary>The capabilities a provider package (<c>Gateway.Training.TorchSharp</c>) may sit under.</summary>
    public static IReadOnlyList<string> Capabilities { get; } =
        ["Gateway.Flow", "Gateway.Rag", "Gateway.Training", "Gateway.Onnx", "Gateway.Redis"];

    public static IReadOnlyList<HeavyStack> HeavyStacks { get; } =
    [
        new("ASP.NET Core", ["Microsoft.AspNetCore"], ["Gateway.AspNetCore"]),
        new("the SQLite driver", ["Microsoft.Data.Sqlite", "SQLitePCLRaw"], ["Gateway.Storage.Sqlite"]),
        new("the PostgreSQL driver", ["Npgsql", "Pgvector"], ["Gateway.Storage.Postgres"]),
        new("ONNX Runtime", ["Microsoft.ML.OnnxRuntime", "Microsoft.ML.OnnxRuntimeGenAI"], ["Gateway.Onnx"]),
        new("Redis", ["StackExchange.Redis"], ["Gateway.Redis"]),
        new("TorchSharp", ["TorchSharp", "TorchSharp-cpu", "TorchSharp-cuda-linux"], ["Gateway.Training.TorchSharp"]),
    ];

    public static BoundaryChecker Checker { get; } = new(Rules, Capabilities, HeavyStacks);
}
