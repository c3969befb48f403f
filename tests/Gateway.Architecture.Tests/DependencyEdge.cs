namespace Gateway.Architecture.Tests;

/// <summary>One package's reference to another package, assembly or shared framework, and where it was seen.</summary>
/// <param name="From">The package that references (a project under src/).</param>
/// <param name="To">What it references: a package id, an assembly name or a framework name.</param>
/// <param name="Source">Where the reference was read, e.g. "csproj PackageReference" or "assembly reference".</param>
public sealed record DependencyEdge(string From, string To, string Source)
{
    public override string ToString() => $"{From} → {To} ({Source})";
}
