using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Jobs;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Rag;
using Gateway.Rag.Documents;
using Gateway.Rag.Sandbox;
using Microsoft.Extensions.Logging;

namespace Gateway.Rag.Ingestion.Internal;

/// <summary>
/// Runs <c>rag.ingestion</c> jobs. It lists the job's units (removals, uploads, texts, the files of its sandbox
/// items) in key order, passes over those up to its checkpoint's cursor, and runs each of the rest: a removal
/// deletes a document by name; an addition goes through <see cref="RagService"/>, whose write is one transaction,
/// so a cancel or a crash never leaves half a document. A document that fails with a <see cref="GatewayException"/>
/// is counted with its reason and the rest go on; only a collection that is gone fails the job at once. After each
/// unit it saves a checkpoint and reports progress, and during a long document after each embedded batch. The job
/// completes even when some documents failed; it fails with <c>ingestion_failed</c> when every document did.
/// </summary>
internal sealed partial class RagIngestionHandler(RagService rag, IJobStore jobs, ILogger<RagIngestionHandler> logger, FileSandbox? sandbox = null)
    : IJobHandler
{
    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        var payload = IngestionPayload.Read(job.Payload);
        var progress = IngestionProgress.Read(job.Checkpoint) ?? new IngestionProgress();
        _ = await rag.GetCollectionAsync(payload.CollectionId, cancellationToken).ConfigureAwait(false);
        var units = await ListUnitsAsync(payload, cancellationToken).ConfigureAwait(false);
        progress.DocumentsTotal = units.Count(unit => unit.Kind != IngestionUnitKind.Removal);
        context.ReportProgress(progress.Next());

        foreach (var unit in units.Where(unit => progress.Cursor is null || string.CompareOrdinal(unit.Key, progress.Cursor) > 0))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (unit.Kind == IngestionUnitKind.Removal)
            {
                await RemoveAsync(payload.CollectionId, unit.Document, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AddAsync(context, payload.CollectionId, unit, progress, cancellationToken).ConfigureAwait(false);
            }

            progress.Cursor = unit.Key;
            var done = progress.Next();

            // The unit is written: its checkpoint is saved even when a cancel arrived meanwhile, so the final status counts it.
            await context.SaveCheckpointAsync(done, CancellationToken.None).ConfigureAwait(false);
            context.ReportProgress(done);
        }

        LogFinished(logger, job.Id, progress.DocumentsDone, progress.DocumentsSkipped, progress.DocumentsFailed, progress.DocumentsRemoved);
        if (progress.DocumentsTotal > 0 && progress.DocumentsFailed == progress.DocumentsTotal && progress.DocumentsRemoved == 0)
        {
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.IngestionFailed,
                $"Every one of the {progress.DocumentsTotal} documents failed; the first: {progress.Errors[0].Document}: {progress.Errors[0].Detail}");
        }

        progress.Cursor = null;
        return progress.Next();
    }

    private async Task RemoveAsync(string collectionId, string name, IngestionProgress progress, CancellationToken cancellationToken)
    {
        if (await rag.Collections.FindDocumentByNameAsync(collectionId, name, cancellationToken).ConfigureAwait(false) is { } document
            && await rag.Collections.DeleteDocumentAsync(collectionId, document.Id, cancellationToken).ConfigureAwait(false))
        {
            progress.DocumentsRemoved++;
        }
    }

    private async Task AddAsync(JobContext context, string collectionId, IngestionUnit unit, IngestionProgress progress, CancellationToken cancellationToken)
    {
        var (chunksTotal, chunksDone) = (progress.ChunksTotal, progress.ChunksDone);
        var chunkProgress = new ChunkReporter(context, progress);
        try
        {
            var (added, bytes) = await WriteAsync(context.Job.Id, collectionId, unit, chunkProgress, cancellationToken).ConfigureAwait(false);
            progress.BytesDone += bytes;
            if (added.Outcome == RagDocumentWriteOutcome.Unchanged)
            {
                progress.DocumentsSkipped++;
                (progress.ChunksTotal, progress.ChunksDone) = (chunksTotal, chunksDone);
            }
            else
            {
                (progress.ChunksTotal, progress.ChunksDone) = (chunksTotal + added.Chunks.Count, chunksDone + added.Chunks.Count);
            }
        }
        catch (GatewayException error) when (error.ErrorCode != GatewayErrorCodes.CollectionNotFound)
        {
            LogDocumentFailed(logger, context.Job.Id, unit.Document, error.ErrorCode, error.Message);
            (progress.ChunksTotal, progress.ChunksDone) = (chunksTotal, chunksDone);
            progress.Fail(unit.Document, error.ErrorCode, error.Message);
        }

        progress.DocumentsDone++;
    }

    private async Task<(RagDocumentIngestion Added, long Bytes)> WriteAsync(
        string jobId, string collectionId, IngestionUnit unit, ChunkReporter chunkProgress, CancellationToken cancellationToken)
    {
        if (unit.Failure is { } failure)
        {
            throw failure;
        }

        if (unit.Kind == IngestionUnitKind.SandboxFile)
        {
            var file = await Sandbox().OpenFileAsync(unit.Root!, unit.Path, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (file.ConfigureAwait(false))
            {
                var added = await rag.AddFileAsync(collectionId, unit.Document, file.Content, unit.Metadata, chunkProgress, cancellationToken).ConfigureAwait(false);
                return (added, file.Length);
            }
        }

        var staged = unit.Staged!;
        var content = await jobs.OpenAttachmentAsync(jobId, staged.Attachment, cancellationToken).ConfigureAwait(false)
            ?? throw new GatewayException(
                GatewayErrorKind.NotFound,
                GatewayErrorCodes.FileNotFound,
                $"The staged bytes of '{staged.Name}' are gone from the job (attachment '{staged.Attachment}').");
        await using (content.ConfigureAwait(false))
        {
            if (unit.Kind == IngestionUnitKind.Upload)
            {
                return (await rag.AddFileAsync(collectionId, staged.Name, content, staged.Metadata, chunkProgress, cancellationToken).ConfigureAwait(false), staged.Bytes);
            }

            using var reader = new StreamReader(content, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            var document = new NewRagDocument(staged.Name, text, staged.Metadata);
            return (await rag.AddTextAsync(collectionId, document, chunkProgress, cancellationToken).ConfigureAwait(false), staged.Bytes);
        }
    }

    /// <summary>The job's units in key order: removals, uploads, texts, then each sandbox item's files by path.</summary>
    private async Task<List<IngestionUnit>> ListUnitsAsync(IngestionPayload payload, CancellationToken cancellationToken)
    {
        var units = new List<IngestionUnit>();
        units.AddRange(payload.Removals.Select((name, i) => new IngestionUnit(Key(0, i), name, IngestionUnitKind.Removal)));
        units.AddRange(payload.Uploads.Select((staged, i) => new IngestionUnit(Key(1, i), staged.Name, IngestionUnitKind.Upload, staged)));
        units.AddRange(payload.Texts.Select((staged, i) => new IngestionUnit(Key(2, i), staged.Name, IngestionUnitKind.Text, staged)));
        for (var i = 0; i < payload.Sandbox.Count; i++)
        {
            var item = payload.Sandbox[i];
            var prefix = Key(3, i) + "/";
            try
            {
                var files = await SandboxFilesAsync(item, cancellationToken).ConfigureAwait(false);
                units.AddRange(files.Select(path => new IngestionUnit(prefix + path, path, IngestionUnitKind.SandboxFile, Root: item.Root, Path: path, Metadata: item.Metadata)));
            }
            catch (GatewayException error)
            {
                units.Add(new IngestionUnit(prefix, $"{item.Root}:{item.Path}", IngestionUnitKind.SandboxFile, Failure: error));
            }
        }

        units.Sort((left, right) => string.CompareOrdinal(left.Key, right.Key));
        return units;
    }

    /// <summary>The paths inside the root of the item's file, or of its folder's files that its globs take, in ordinal order.</summary>
    private async Task<List<string>> SandboxFilesAsync(IngestionSandboxItem item, CancellationToken cancellationToken)
    {
        var files = Sandbox();
        var entry = files.GetEntry(item.Root, item.Path);
        if (entry.Kind == SandboxEntryKind.File)
        {
            return [entry.Path];
        }

        var paths = new List<string>();
        await foreach (var file in files.EnumerateFilesAsync(item.Root, item.Path, item.Include, item.Exclude, cancellationToken).ConfigureAwait(false))
        {
            paths.Add(file.Path);
        }

        paths.Sort(StringComparer.Ordinal);
        return paths;
    }

    private FileSandbox Sandbox() => sandbox ?? throw RagIngestions.NoSandbox();

    private static string Key(int group, int index) => string.Create(CultureInfo.InvariantCulture, $"{group}/{index:D6}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingestion {JobId}: document '{Document}' failed with {ErrorCode}: {Detail}")]
    private static partial void LogDocumentFailed(ILogger logger, string jobId, string document, string errorCode, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingestion {JobId} ran its documents: {Done} done, {Skipped} unchanged, {Failed} failed, {Removed} removed")]
    private static partial void LogFinished(ILogger logger, string jobId, int done, int skipped, int failed, int removed);

    /// <summary>Reports the chunks of the document being embedded, on top of those of the documents before it.</summary>
    private sealed class ChunkReporter(JobContext context, IngestionProgress progress) : IProgress<EmbeddingProgress>
    {
        private readonly long _chunksTotal = progress.ChunksTotal;
        private readonly long _chunksDone = progress.ChunksDone;

        public void Report(EmbeddingProgress value)
        {
            (progress.ChunksTotal, progress.ChunksDone) = (_chunksTotal + value.ChunksTotal, _chunksDone + value.ChunksDone);
            context.ReportProgress(progress.Next());
        }
    }
}
