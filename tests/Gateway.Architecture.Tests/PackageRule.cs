namespace Gateway.Architecture.Tests;

/// <summary>What one package may depend on, as a row of ADR 0001's table says.</summary>
/// <param name="PackageId">The package the row is about.</param>
/// <param name="MayReference">The other Gateway packages it may reference.</param>
/// <param name="OnlyExternal">
/// Name prefixes that every non-Gateway package or assembly it references must start with, where the ADR
/// says "only"; null where the ADR leaves the package's own dependencies open (then only the heavy stacks
/// it does not own are forbidden).
/// </param>
public sealed record PackageRule(string PackageId, IReadOnlyList<string> MayReference, IReadOnlyList<string>? OnlyExternal = null);
