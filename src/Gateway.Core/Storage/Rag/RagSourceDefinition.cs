namespace Gateway.Core.Storage.Rag;

/// <summary>What a caller supplies to register a folder as a collection's source.</summary>
/// <param name="Root">The name of the sandbox root, 1 to <see cref="RagSourceRules.MaxRootLength"/> characters.</param>
/// <param name="Path">The folder inside the root (empty: the root itself), at most <see cref="RagSourceRules.MaxPathLength"/> characters.</param>
/// <param name="Include">The globs a file must match one of (none: every file), at most <see cref="RagSourceRules.MaxGlobs"/>.</param>
/// <param name="Exclude">The globs a file must match none of, at most <see cref="RagSourceRules.MaxGlobs"/>.</param>
public sealed record RagSourceDefinition(string Root, string Path, IReadOnlyList<string> Include, IReadOnlyList<string> Exclude);
