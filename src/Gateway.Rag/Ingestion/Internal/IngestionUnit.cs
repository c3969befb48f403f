using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Rag.Ingestion.Internal;

/// <summary>What an ingestion does for one document, in the order of its <paramref name="Key"/>.</summary>
/// <param name="Key">Sorts the units of a job the same way on every attempt: its checkpoint is the last key done.</param>
/// <param name="Document">The document's name in the collection (for a sandbox item that could not be listed, <c>root:path</c>).</param>
/// <param name="Kind">What to do.</param>
/// <param name="Staged">For an upload or a text: its job attachment.</param>
/// <param name="Root">For a sandbox file: its root.</param>
/// <param name="Path">For a sandbox file: its path inside the root.</param>
/// <param name="Metadata">The chunks' metadata.</param>
/// <param name="Failure">For a sandbox item that could not be listed: why, reported as this unit's error.</param>
internal sealed record IngestionUnit(
    string Key,
    string Document,
    IngestionUnitKind Kind,
    StagedDocument? Staged = null,
    string? Root = null,
    string? Path = null,
    JsonElement? Metadata = null,
    GatewayException? Failure = null);

/// <summary>What an <see cref="IngestionUnit"/> does.</summary>
internal enum IngestionUnitKind
{
    /// <summary>Deletes the document of its name, if there is one.</summary>
    Removal,

    /// <summary>Adds an uploaded file.</summary>
    Upload,

    /// <summary>Adds a text.</summary>
    Text,

    /// <summary>Adds a file of the sandbox.</summary>
    SandboxFile,
}
