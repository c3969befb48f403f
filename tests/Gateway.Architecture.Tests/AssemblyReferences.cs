using System.Reflection;

namespace Gateway.Architecture.Tests;

/// <summary>
/// The assemblies a package's built assembly references, read by reflection from the copy that this test
/// project's build put beside it: what the compiler actually linked, whatever the project file says.
/// </summary>
public static class AssemblyReferences
{
    public static IEnumerable<DependencyEdge> Of(string packageId)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(packageId));
        }
        catch (FileNotFoundException)
        {
            throw new InvalidOperationException(
                $"{packageId}.dll is not beside the architecture tests; tests/Gateway.Architecture.Tests references every project under src/, so build it again.");
        }

        return assembly.GetReferencedAssemblies()
            .Select(reference => new DependencyEdge(packageId, reference.Name!, $"assembly reference of {packageId}.dll"));
    }
}
