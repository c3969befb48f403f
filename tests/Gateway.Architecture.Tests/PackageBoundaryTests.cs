namespace Gateway.Architecture.Tests;

public sealed class PackageBoundaryTests
{
    [Fact]
    public void ProjectFiles_EveryPackage_ReferencesOnlyWhatAdr0001Allows()
    {
        var edges = Repository.Packages.SelectMany(package => ProjectFileReferences.Of(package.Key, package.Value)).ToList();

        AssertNoViolations(edges);
    }

    [Fact]
    public void BuiltAssemblies_EveryPackage_ReferencesOnlyWhatAdr0001Allows()
    {
        var edges = Repository.Packages.Keys.SelectMany(AssemblyReferences.Of).ToList();

        AssertNoViolations(edges);
    }

    [Fact]
    public void BuiltAssemblies_Core_ReferencesMicrosoftExtensionsAndIsRead()
    {
        var references = AssemblyReferences.Of("Gateway.Core").Select(edge => edge.To).ToList();

        Assert.Contains("Microsoft.Extensions.AI.Abstractions", references);
        Assert.DoesNotContain(references, PackageNames.IsGateway);
    }

    private static void AssertNoViolations(IReadOnlyCollection<DependencyEdge> edges)
    {
        Assert.NotEmpty(edges);
        var violations = Adr0001.Checker.Violations(Repository.Packages.Keys, edges);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
