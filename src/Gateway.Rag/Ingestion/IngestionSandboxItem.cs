using System.Text.Json;

namespace Gateway.Rag.Ingestion;

/// <summary>
/// A file, or a folder's files, inside a root of the file sandbox (<c>AddFileSandbox()</c>), read when the
/// ingestion runs. Each file's document is named by its path inside the root (<c>guides/install.md</c>).
/// </summary>
/// <param name="Root">The sandbox root's name.</param>
/// <param name="Path">The file or folder inside the root; empty for the root itself.</param>
/// <param name="Include">For a folder: globs of the files taken, relative to it (default <c>**/*</c>).</param>
/// <param name="Exclude">For a folder: globs of the files left out.</param>
/// <param name="Metadata">A JSON object the chunks of every file are filtered by, or <see langword="null"/> for <c>{}</c>.</param>
public sealed record IngestionSandboxItem(
    string Root, string Path, IReadOnlyList<string>? Include = null, IReadOnlyList<string>? Exclude = null, JsonElement? Metadata = null);
