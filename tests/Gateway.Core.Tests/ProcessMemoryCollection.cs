namespace Gateway.Core.Tests;

/// <summary>
/// Tests that measure the process's managed memory (<see cref="GC.GetTotalMemory(bool)"/>) run alone, after the
/// parallel ones: another test allocating at the same time (the vector tests' matrices) would count as their growth.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "Process memory";
}
