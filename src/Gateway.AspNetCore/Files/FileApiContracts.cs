using Gateway.Core.Errors;
using Gateway.Rag.Sandbox;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.AspNetCore.Files;

/// <summary>The query of <c>GET /api/files</c> and <c>GET /api/files/content</c>: a root's name and a path inside it.</summary>
internal sealed record FileQueryParameters(
    [FromQuery(Name = "root")] string? Root,
    [FromQuery(Name = "path")] string? Path)
{
    public string RootOrThrow => string.IsNullOrEmpty(Root)
        ? throw GatewayException.InvalidField("root", "the name of a sandbox root is required; GET /api/files/roots lists them.")
        : Root;
}

/// <summary>The answer of <c>GET /api/files/roots</c>.</summary>
internal sealed record FileRootListBody(IReadOnlyList<FileRootBody> Items);

/// <summary>One root: its name only, never its folder on the server.</summary>
internal sealed record FileRootBody(string Name);

/// <summary>The answer of <c>GET /api/files</c>: the folder listed and its entries.</summary>
internal sealed record FileListBody(string Root, string Path, IReadOnlyList<FileEntryBody> Items);

/// <summary>One entry of a folder.</summary>
/// <param name="Name">Its own name.</param>
/// <param name="Path">Its path inside the root, to pass back as <c>path</c>.</param>
/// <param name="Kind"><c>file</c> or <c>folder</c>.</param>
/// <param name="Size">A file's length in bytes; <see langword="null"/> for a folder.</param>
/// <param name="Modified">When its content last changed.</param>
internal sealed record FileEntryBody(string Name, string Path, string Kind, long? Size, DateTimeOffset Modified)
{
    public static FileEntryBody From(SandboxEntry entry) => new(
        entry.Name, entry.Path, entry.Kind == SandboxEntryKind.Folder ? "folder" : "file", entry.Size, entry.Modified);
}
