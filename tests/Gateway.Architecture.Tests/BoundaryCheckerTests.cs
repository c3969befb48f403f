namespace Gateway.Architecture.Tests;

public sealed class BoundaryCheckerTests
{
    private static readonly string[] Packages = [.. Adr0001.Rules.Select(rule => rule.PackageId)];

    [Theory]
    [InlineData("Gateway.Core", "Microsoft.AspNetCore.App", "ASP.NET Core")]
    [InlineData("Gateway.Core", "Microsoft.AspNetCore.Http.Abstractions", "ASP.NET Core")]
    [InlineData("Gateway.Core", "Npgsql", "the PostgreSQL driver")]
    [InlineData("Gateway.Core", "Microsoft.Data.Sqlite", "the SQLite driver")]
    [InlineData("Gateway.Core", "Microsoft.ML.OnnxRuntime", "ONNX Runtime")]
    [InlineData("Gateway.Core", "StackExchange.Redis", "Redis")]
    [InlineData("Gateway.Rag", "Microsoft.ML.OnnxRuntimeGenAI", "ONNX Runtime")]
    [InlineData("Gateway.Storage.Sqlite", "Npgsql", "the PostgreSQL driver")]
    [InlineData("Gateway.Redis", "Microsoft.AspNetCore.App", "ASP.NET Core")]
    public void Violations_HeavyStackOutsideItsOwner_NamesEdgeStackAndAdr(string from, string to, string stack)
    {
        var violation = Assert.Single(Check(new DependencyEdge(from, to, "PackageReference in test.csproj")));

        Assert.StartsWith($"{from} → {to} (PackageReference in test.csproj): {to} is {stack}", violation, StringComparison.Ordinal);
        Assert.Contains(Adr0001.Path, violation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway.Rag", "Gateway.Onnx")]
    [InlineData("Gateway.Flow", "Gateway.Rag")]
    [InlineData("Gateway.Training", "Gateway.Storage.Sqlite")]
    [InlineData("Gateway.Onnx", "Gateway.AspNetCore")]
    [InlineData("Gateway.Storage.Postgres", "Gateway.Storage.Sqlite")]
    [InlineData("Gateway.Core", "Gateway.Redis")]
    [InlineData("Gateway.AspNetCore", "Gateway.Onnx")]
    [InlineData("Gateway.Training.TorchSharp", "Gateway.Onnx")]
    public void Violations_PackageOnAPackageItsRowOmits_NamesEdgeAndAdr(string from, string to)
    {
        var violation = Assert.Single(Check(new DependencyEdge(from, to, "ProjectReference in test.csproj")));

        Assert.StartsWith($"{from} → {to} (ProjectReference in test.csproj): ADR 0001 lets {from} reference", violation, StringComparison.Ordinal);
        Assert.Contains(Adr0001.Path, violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Violations_CoreOnAPackageOutsideMicrosoftExtensionsAndSystem_NamesTheOnlyRule()
    {
        var violation = Assert.Single(Check(new DependencyEdge("Gateway.Core", "Newtonsoft.Json", "assembly reference of Gateway.Core.dll")));

        Assert.Equal(
            $"Gateway.Core → Newtonsoft.Json (assembly reference of Gateway.Core.dll): ADR 0001 lets Gateway.Core depend on Microsoft.Extensions.*, System.*, Polly.* only ({Adr0001.Path}).",
            violation);
    }

    [Theory]
    [InlineData("Gateway.Core", "Microsoft.Extensions.AI")]
    [InlineData("Gateway.Core", "System.Threading.RateLimiting")]
    [InlineData("Gateway.Core", "System.Runtime")]
    [InlineData("Gateway.Storage.Sqlite", "Gateway.Core")]
    [InlineData("Gateway.Storage.Sqlite", "Microsoft.Data.Sqlite")]
    [InlineData("Gateway.Storage.Sqlite", "SQLitePCLRaw.core")]
    [InlineData("Gateway.Storage.Postgres", "Npgsql")]
    [InlineData("Gateway.Storage.Postgres", "Pgvector")]
    [InlineData("Gateway.Onnx", "Microsoft.ML.OnnxRuntime")]
    [InlineData("Gateway.Onnx", "Microsoft.ML.Tokenizers")]
    [InlineData("Gateway.Redis", "StackExchange.Redis")]
    [InlineData("Gateway.AspNetCore", "Microsoft.AspNetCore.App")]
    [InlineData("Gateway.AspNetCore", "Gateway.Core")]
    [InlineData("Gateway.Training.TorchSharp", "Gateway.Training")]
    [InlineData("Gateway.Training.TorchSharp", "Gateway.Core")]
    [InlineData("Gateway.Training.TorchSharp", "TorchSharp")]
    public void Violations_EdgeTheAdrAllows_None(string from, string to) =>
        Assert.Empty(Check(new DependencyEdge(from, to, "PackageReference in test.csproj")));

    [Fact]
    public void Violations_PackageNotInTheTable_AsksForItsRow()
    {
        var violation = Assert.Single(Adr0001.Checker.Violations([.. Packages, "Gateway.Telemetry"], []));

        Assert.StartsWith("Gateway.Telemetry is not in ADR 0001's table", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Violations_SeveralForbiddenEdges_ReportsEach()
    {
        var violations = Check(
            new DependencyEdge("Gateway.Core", "Npgsql", "a"),
            new DependencyEdge("Gateway.Core", "Microsoft.Extensions.Options", "b"),
            new DependencyEdge("Gateway.Rag", "Gateway.Flow", "c"));

        Assert.Equal(2, violations.Count);
    }

    private static IReadOnlyList<string> Check(params DependencyEdge[] edges) => Adr0001.Checker.Violations(Packages, edges);
}
