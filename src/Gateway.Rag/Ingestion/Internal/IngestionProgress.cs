using System.Text.Json;

namespace Gateway.Rag.Ingestion.Internal;

/// <summary>
/// An ingestion's counters, kept by its handler and stored as the job's progress, its checkpoint (with
/// <see cref="Cursor"/>, the key of the last unit done: units run in key order, so it names the set done) and
/// its result. <see cref="Version"/> grows with every report, so a reader takes the newer of progress and checkpoint.
/// </summary>
internal sealed class IngestionProgress
{
    public long Version { get; set; }

    public int DocumentsTotal { get; set; }

    public int DocumentsDone { get; set; }

    public int DocumentsSkipped { get; set; }

    public int DocumentsRemoved { get; set; }

    public int DocumentsFailed { get; set; }

    public long ChunksTotal { get; set; }

    public long ChunksDone { get; set; }

    public long BytesDone { get; set; }

    public List<IngestionError> Errors { get; set; } = [];

    public string? Cursor { get; set; }

    /// <summary>Counts a failed document, keeping its reason while fewer than <see cref="RagIngestions.MaxErrors"/> are kept.</summary>
    public void Fail(string document, string errorCode, string detail)
    {
        DocumentsFailed++;
        if (Errors.Count < RagIngestions.MaxErrors)
        {
            Errors.Add(new IngestionError(document, errorCode, detail));
        }
    }

    /// <summary>Moves <see cref="Version"/> on and returns the counters as JSON.</summary>
    public JsonElement Next()
    {
        Version++;
        return JsonSerializer.SerializeToElement(this, IngestionJsonContext.Default.IngestionProgress);
    }

    /// <summary>The counters in <paramref name="json"/>, or <see langword="null"/> when it holds none (a missing field reads as 0).</summary>
    public static IngestionProgress? Read(JsonElement? json)
    {
        if (json is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        try
        {
            return value.Deserialize(IngestionJsonContext.Default.IngestionProgress);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
