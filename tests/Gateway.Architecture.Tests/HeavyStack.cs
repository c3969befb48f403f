namespace Gateway.Architecture.Tests;

/// <summary>
/// A heavy dependency that ADR 0001 keeps out of every package but the one that exists to carry it, so a
/// user who does not install that package never loads it.
/// </summary>
/// <param name="Name">What the ADR calls it.</param>
/// <param name="NamePrefixes">Package and assembly names that belong to it.</param>
/// <param name="Owners">The packages that may reference it.</param>
public sealed record HeavyStack(string Name, IReadOnlyList<string> NamePrefixes, IReadOnlyList<string> Owners)
{
    public bool Contains(string name) => NamePrefixes.Any(prefix => PackageNames.HasPrefix(name, prefix));
}
