using System.Text.RegularExpressions;

namespace Gateway.Architecture.Tests;

public sealed partial class AdrTableTests
{
    [Fact]
    public void AdrTable_NamesThePackagesOfTheRules()
    {
        var tablePackages = PackagesInAdrTable();

        Assert.Equal(
            Adr0001.Rules.Select(rule => rule.PackageId).Order(StringComparer.Ordinal),
            tablePackages.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AdrTable_CapabilityRow_ListsTheCapabilities()
    {
        var capabilityRow = File.ReadLines(Path.Combine(Repository.Root, Adr0001.Path))
            .Single(line => line.StartsWith("| `Gateway.Flow`", StringComparison.Ordinal));

        Assert.Equal(
            Adr0001.Capabilities.Order(StringComparer.Ordinal),
            FirstCell(capabilityRow).Order(StringComparer.Ordinal));
    }

    /// <summary>The backticked Gateway package ids in the first column of the ADR's table.</summary>
    private static List<string> PackagesInAdrTable() =>
        File.ReadLines(Path.Combine(Repository.Root, Adr0001.Path))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(FirstCell)
            .ToList();

    private static IEnumerable<string> FirstCell(string row) =>
        PackageId().Matches(row.Split('|')[1]).Select(match => match.Groups[1].Value);

    [GeneratedRegex(@"`(Gateway\.[A-Za-z.]+)`")]
    private static partial Regex PackageId();
}
