namespace Gateway.Architecture.Tests;

/// <summary>Package and assembly names compared as NuGet does: case-insensitive, a prefix ends at a dot.</summary>
public static class PackageNames
{
    public static bool HasPrefix(string name, string prefix) =>
        name.Equals(prefix, StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(prefix + ".", StringComparison.OrdinalIgnoreCase);

    public static bool IsGateway(string name) => HasPrefix(name, "Gateway") && !name.Equals("Gateway", StringComparison.OrdinalIgnoreCase);

    public static bool Same(string left, string right) => left.Equals(right, StringComparison.OrdinalIgnoreCase);
}
