using System.Text;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Jobs;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Rag;
using Gateway.Rag.Ingestion.Internal;
using Gateway.Rag.Sandbox;
using Microsoft.Extensions.Options;

namespace Gateway.Rag.Ingestion;

/// <summary>
/// Starts and reads ingestions: durable jobs of kind <see cref="Kind"/> that add uploaded files, texts and
/// sandbox files to a collection and remove documents by name (ADR 0023). <see cref="StartAsync"/> checks the
/// request and queues the job with its uploads and texts staged in the job store, so whichever replica claims it
/// reads them, after a restart too. A bad document fails alone (its reason in <see cref="IngestionStatus.Errors"/>);
/// the job completes unless the collection is gone or every document failed (<c>ingestion_failed</c>).
/// <see cref="GetAsync"/> also reads re-embeddings (<see cref="ReembeddingKind"/>), which report the same status.
/// </summary>
public sealed class RagIngestions
{
    /// <summary>The job kind of an ingestion.</summary>
    public const string Kind = "rag.ingestion";

    /// <summary>The job kind of a re-embedding, whose status has the same shape.</summary>
    public const string ReembeddingKind = "rag.reembedding";

    /// <summary>The most document errors a status keeps; <see cref="IngestionStatus.DocumentsFailed"/> counts them all.</summary>
    public const int MaxErrors = 100;

    private readonly RagService _rag;
    private readonly IJobStore _jobs;
    private readonly JobQueue _queue;
    private readonly FileSandbox? _sandbox;
    private readonly RagOptions _options;

    /// <summary>Creates the service over the RAG service, the job store and queue, and the file sandbox when the app has one.</summary>
    public RagIngestions(RagService rag, IJobStore jobs, JobQueue queue, IOptions<RagOptions> options, FileSandbox? sandbox = null)
    {
        _rag = rag ?? throw new ArgumentNullException(nameof(rag));
        _jobs = jobs ?? throw new ArgumentNullException(nameof(jobs));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _sandbox = sandbox;
    }

    /// <summary>
    /// Checks <paramref name="request"/> and queues its ingestion into <paramref name="collectionId"/>, its uploads and
    /// texts staged with the job in one transaction; the job's id is the ingestion's.
    /// </summary>
    /// <exception cref="GatewayException">
    /// <c>collection_not_found</c> (404); <c>invalid_request</c> for nothing to do, a bad name, text or metadata;
    /// <c>payload_too_large</c> (413) for an upload past <c>RAG_MAX_DOCUMENT_BYTES</c> or a text past <c>RAG_MAX_DOCUMENT_CHARS</c>;
    /// for a sandbox item <c>sandbox_root_not_found</c> (also when the app has no sandbox), <c>invalid_path</c>,
    /// <c>sandbox_path_denied</c>, <c>file_not_found</c>.
    /// </exception>
    public async Task<Job> StartAsync(string collectionId, IngestionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = await _rag.GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
        if (request.Uploads.Count + request.Texts.Count + request.SandboxItems.Count + request.Removals.Count == 0)
        {
            throw GatewayException.InvalidField("files", "expected at least one file, text, sandbox path or removal.");
        }

        var attachments = new List<JobAttachment>();
        var uploads = new List<StagedDocument>();
        for (var i = 0; i < request.Uploads.Count; i++)
        {
            var upload = request.Uploads[i];
            RagRules.ValidateDocumentName(upload.Name, $"files[{i}].name");
            ConversationStoreRules.MetadataText(upload.Metadata);
            CheckSize(upload.Name, upload.Content.Length, _options.MaxDocumentBytes);
            uploads.Add(Stage(attachments, "u", i, upload.Name, upload.Content, upload.Metadata));
        }

        var texts = new List<StagedDocument>();
        for (var i = 0; i < request.Texts.Count; i++)
        {
            var text = request.Texts[i];
            RagRules.ValidateDocumentName(text.Name, $"texts[{i}].name");
            ConversationStoreRules.MetadataText(text.Metadata);
            _rag.CheckText(text.Text);
            texts.Add(Stage(attachments, "t", i, text.Name, Encoding.UTF8.GetBytes(text.Text), text.Metadata));
        }

        foreach (var item in request.SandboxItems)
        {
            ArgumentNullException.ThrowIfNull(item);
            ConversationStoreRules.MetadataText(item.Metadata);
            _ = (_sandbox ?? throw NoSandbox()).GetEntry(item.Root, item.Path);
        }

        for (var i = 0; i < request.Removals.Count; i++)
        {
            RagRules.ValidateDocumentName(request.Removals[i], $"removals[{i}]");
        }

        var payload = new IngestionPayload(collectionId, uploads, texts, request.SandboxItems, request.Removals);
        return await _queue.EnqueueAsync(new NewJob(Kind, payload.ToJson()) { Attachments = attachments }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The ingestion's (or re-embedding's) status.</summary>
    /// <exception cref="GatewayException"><c>ingestion_not_found</c> (404).</exception>
    public async Task<IngestionStatus> GetAsync(string ingestionId, CancellationToken cancellationToken = default) =>
        StatusOf(await FindAsync(ingestionId, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Cancels a queued ingestion at once, or asks a running one to stop after the document it is writing (which is
    /// then either whole or not written); cancelling a cancelled one changes nothing.
    /// </summary>
    /// <exception cref="GatewayException"><c>ingestion_not_found</c> (404); <c>job_state_conflict</c> (409) when it completed or failed.</exception>
    public async Task<IngestionStatus> CancelAsync(string ingestionId, CancellationToken cancellationToken = default)
    {
        var job = await FindAsync(ingestionId, cancellationToken).ConfigureAwait(false);
        return StatusOf(job.State == JobState.Cancelled ? job : await _jobs.RequestCancelAsync(job.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Waits until the ingestion is completed, failed or cancelled, and returns its final status.</summary>
    /// <exception cref="GatewayException"><c>ingestion_not_found</c> (404).</exception>
    public async Task<IngestionStatus> WaitAsync(string ingestionId, CancellationToken cancellationToken = default)
    {
        var job = await FindAsync(ingestionId, cancellationToken).ConfigureAwait(false);
        return StatusOf(job.IsFinished ? job : await _queue.WaitAsync(job.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The status of an ingestion or re-embedding job: its counters from its result once completed, otherwise from the
    /// newer of its progress and its checkpoint.
    /// </summary>
    public static IngestionStatus StatusOf(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var counters = (job.State == JobState.Completed ? IngestionProgress.Read(job.Result) : null)
            ?? Newer(IngestionProgress.Read(job.Progress), IngestionProgress.Read(job.Checkpoint))
            ?? new IngestionProgress();
        var collectionId = job.Payload.ValueKind == JsonValueKind.Object
            && job.Payload.TryGetProperty("collectionId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        return new IngestionStatus(
            job.Id,
            collectionId,
            job.Kind,
            JobRules.StateText(job.State),
            counters.DocumentsTotal,
            counters.DocumentsDone,
            counters.DocumentsSkipped,
            counters.DocumentsRemoved,
            counters.DocumentsFailed,
            counters.ChunksTotal,
            counters.ChunksDone,
            counters.BytesDone,
            counters.Errors,
            job.Error,
            job.CreatedAt,
            job.StartedAt,
            job.FinishedAt);
    }

    /// <summary>The error for a sandbox item on a gateway without <c>AddFileSandbox()</c>.</summary>
    internal static GatewayException NoSandbox() => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.SandboxRootNotFound,
        "root: this gateway has no file sandbox (GATEWAY_SANDBOX_ROOTS configures its roots), so it cannot ingest sandbox paths.",
        new Dictionary<string, object?> { ["field"] = "root", ["availableRoots"] = Array.Empty<string>() });

    private async Task<Job> FindAsync(string ingestionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ingestionId);
        var job = await _jobs.GetAsync(ingestionId, cancellationToken).ConfigureAwait(false);
        return job is { Kind: Kind or ReembeddingKind }
            ? job
            : throw new GatewayException(
                GatewayErrorKind.NotFound,
                GatewayErrorCodes.IngestionNotFound,
                $"No ingestion has the id '{ingestionId}'.",
                new Dictionary<string, object?> { ["ingestionId"] = ingestionId });
    }

    private static IngestionProgress? Newer(IngestionProgress? progress, IngestionProgress? checkpoint) =>
        progress is null || (checkpoint is not null && checkpoint.Version > progress.Version) ? checkpoint : progress;

    private static StagedDocument Stage(List<JobAttachment> attachments, string prefix, int index, string name, ReadOnlyMemory<byte> content, JsonElement? metadata)
    {
        var attachment = prefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        attachments.Add(new JobAttachment(attachment, content));
        return new StagedDocument(attachment, name, content.Length, metadata);
    }

    private static void CheckSize(string name, long bytes, long limit)
    {
        if (bytes > limit)
        {
            throw new GatewayException(
                GatewayErrorKind.PayloadTooLarge,
                GatewayErrorCodes.PayloadTooLarge,
                $"{name}: {bytes} bytes are more than the limit of {limit} (RAG_MAX_DOCUMENT_BYTES).",
                new Dictionary<string, object?> { ["document"] = name, ["limit"] = limit, ["length"] = bytes });
        }
    }
}
