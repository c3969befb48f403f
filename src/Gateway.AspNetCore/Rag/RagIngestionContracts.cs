using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Jobs;
using Gateway.Rag.Documents;
using Gateway.Rag.Ingestion;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.AspNetCore.Rag;

/// <summary>
/// The JSON body of <c>POST /api/rag/collections/{id}/documents</c>: a text (<c>name</c>, <c>text</c>) or a path of the
/// file sandbox (<c>root</c>, <c>path</c>, for a folder <c>include</c> and <c>exclude</c> globs), with optional metadata.
/// </summary>
internal sealed class IngestDocumentsBody
{
    public string? Name { get; set; }

    public string? Text { get; set; }

    public string? Root { get; set; }

    public string? Path { get; set; }

    public IReadOnlyList<string>? Include { get; set; }

    public IReadOnlyList<string>? Exclude { get; set; }

    public JsonElement? Metadata { get; set; }

    public IngestionRequest ToRequest()
    {
        if (Root is not null || Path is not null)
        {
            if (Name is not null || Text is not null)
            {
                throw GatewayException.InvalidField("root", "send a text (name, text) or a sandbox path (root, path), not both.");
            }

            return new IngestionRequest
            {
                SandboxItems = [new IngestionSandboxItem(
                    Root ?? throw GatewayException.InvalidField("root", "a sandbox root is required with path."), Path ?? string.Empty, Include, Exclude, Metadata)],
            };
        }

        return new IngestionRequest
        {
            Texts = [new NewRagDocument(
                Name ?? throw GatewayException.InvalidField("name", "a document name is required (or root and path for sandbox files)."),
                Text ?? throw GatewayException.InvalidField("text", "the document's text is required."),
                Metadata)],
        };
    }
}

/// <summary>The query of <c>POST /api/rag/collections/{id}/documents</c>.</summary>
internal sealed record IngestParameters([FromQuery(Name = "wait")] bool? Wait);

/// <summary>The 202 answer of <c>POST /api/rag/collections/{id}/documents</c>.</summary>
internal sealed record IngestionStartedBody(string IngestionId);

/// <summary>An ingestion's (or re-embedding's) status, as <c>GET /api/rag/ingestions/{id}</c> and its events show it.</summary>
internal sealed record IngestionStatusBody(
    string Id,
    string? CollectionId,
    string Kind,
    string State,
    int DocumentsTotal,
    int DocumentsDone,
    int DocumentsSkipped,
    int DocumentsRemoved,
    int DocumentsFailed,
    long ChunksTotal,
    long ChunksDone,
    long BytesDone,
    IReadOnlyList<IngestionError> Errors,
    JobError? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public static IngestionStatusBody From(IngestionStatus status) => new(
        status.Id, status.CollectionId, status.Kind, status.State, status.DocumentsTotal, status.DocumentsDone, status.DocumentsSkipped,
        status.DocumentsRemoved, status.DocumentsFailed, status.ChunksTotal, status.ChunksDone, status.BytesDone, status.Errors, status.Error,
        status.CreatedAt, status.StartedAt, status.FinishedAt);
}
