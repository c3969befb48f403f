using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Rag.Ingestion.Internal;

/// <summary>
/// The payload of a <c>rag.ingestion</c> job: small, since uploads and texts are staged as job attachments
/// and sandbox folders are listed when the job runs.
/// </summary>
internal sealed record IngestionPayload(
    string CollectionId,
    IReadOnlyList<StagedDocument> Uploads,
    IReadOnlyList<StagedDocument> Texts,
    IReadOnlyList<IngestionSandboxItem> Sandbox,
    IReadOnlyList<string> Removals)
{
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, IngestionJsonContext.Default.IngestionPayload);

    /// <summary>The payload a job was queued with.</summary>
    /// <exception cref="GatewayException"><c>invalid_request</c> naming <c>payload</c> when it is not one: the job cannot run.</exception>
    public static IngestionPayload Read(JsonElement payload)
    {
        try
        {
            var read = payload.Deserialize(IngestionJsonContext.Default.IngestionPayload);
            if (read is { CollectionId: not null, Uploads: not null, Texts: not null, Sandbox: not null, Removals: not null })
            {
                return read;
            }
        }
        catch (JsonException)
        {
            // Reported below with the same words as a payload that parses but lacks a field.
        }

        throw GatewayException.InvalidField("payload", "the job's payload is not an ingestion's: expected collectionId, uploads, texts, sandbox and removals.");
    }
}
