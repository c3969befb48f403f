using Gateway.Core.Errors;
using Gateway.Core.Storage.Profiles;

namespace Gateway.Core.Storage.Rag;

/// <summary>What a source may hold, checked the same way by every store, and the errors of sources and their syncs.</summary>
public static class RagSourceRules
{
    /// <summary>The longest root name, in characters.</summary>
    public const int MaxRootLength = 255;

    /// <summary>The longest folder path, in characters.</summary>
    public const int MaxPathLength = 4_096;

    /// <summary>The most include (or exclude) globs of one source.</summary>
    public const int MaxGlobs = 100;

    /// <summary>The longest glob, in characters.</summary>
    public const int MaxGlobLength = 500;

    /// <summary>Checks every field of <paramref name="definition"/>.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad field.</exception>
    public static void Validate(RagSourceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (string.IsNullOrWhiteSpace(definition.Root) || definition.Root.Length > MaxRootLength)
        {
            throw GatewayException.InvalidField("root", $"expected the name of a sandbox root, 1 to {MaxRootLength} characters.");
        }

        ModelProfileRules.CheckStorableText(definition.Root, "root");
        if (definition.Path is null || definition.Path.Length > MaxPathLength)
        {
            throw GatewayException.InvalidField("path", $"expected a folder inside the root (empty for the root itself), at most {MaxPathLength} characters.");
        }

        ModelProfileRules.CheckStorableText(definition.Path, "path");
        CheckGlobs(definition.Include, "include");
        CheckGlobs(definition.Exclude, "exclude");
    }

    /// <summary>The 404 for a source id the collection does not hold.</summary>
    public static GatewayException SourceNotFound(string collectionId, string sourceId) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.SourceNotFound,
        $"sourceId: collection '{collectionId}' has no source with the id '{sourceId}'.",
        new Dictionary<string, object?> { ["collectionId"] = collectionId, ["sourceId"] = sourceId, ["field"] = "sourceId" });

    /// <summary>The 409 for a sync of a source that another sync holds; <paramref name="ingestionId"/> is that sync's ingestion, once it has one.</summary>
    public static GatewayException SyncInProgress(string sourceId, string? ingestionId) => new(
        GatewayErrorKind.Conflict,
        GatewayErrorCodes.SourceSyncInProgress,
        ingestionId is null
            ? $"source '{sourceId}' is being synced; try again when that sync has started its ingestion and it has finished."
            : $"source '{sourceId}' is being synced by ingestion '{ingestionId}'; follow it at /api/rag/ingestions/{ingestionId} and sync again when it has finished.",
        new Dictionary<string, object?> { ["sourceId"] = sourceId, ["ingestionId"] = ingestionId });

    private static void CheckGlobs(IReadOnlyList<string>? globs, string field)
    {
        if (globs is null)
        {
            throw GatewayException.InvalidField(field, "expected a list of globs (it may be empty).");
        }

        if (globs.Count > MaxGlobs)
        {
            throw GatewayException.InvalidField(field, $"expected at most {MaxGlobs} globs, got {globs.Count}.");
        }

        for (var i = 0; i < globs.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(globs[i]) || globs[i].Length > MaxGlobLength)
            {
                throw GatewayException.InvalidField($"{field}[{i}]", $"expected a glob such as **/*.md, 1 to {MaxGlobLength} characters.");
            }

            ModelProfileRules.CheckStorableText(globs[i], $"{field}[{i}]");
        }
    }
}
