using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Stops start-up on a setting out of range, naming the setting and what is accepted; reports every problem at once.</summary>
internal sealed class SqliteStorageOptionsValidator : IValidateOptions<SqliteStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Path is { } path && string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.Path)}: expected a file path (GATEWAY_DB), or leave it unset for data/gateway.db.");
        }

        if (options.BusyTimeout < TimeSpan.FromSeconds(1) || options.BusyTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.BusyTimeout)}: expected 1 second to 5 minutes, got {options.BusyTimeout}.");
        }

        if (options.IndexBatchSize is < 100 or > 100_000)
        {
            errors.Add($"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.IndexBatchSize)}: expected 100 to 100000, got {options.IndexBatchSize}.");
        }

        if (options.SearchCandidateLimit < 1)
        {
            errors.Add($"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.SearchCandidateLimit)}: expected at least 1, got {options.SearchCandidateLimit}.");
        }

        if (options.RagHnswMinChunks < 0)
        {
            errors.Add($"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.RagHnswMinChunks)}: expected 0 (no HNSW indexes) or more (RAG_HNSW_MIN_CHUNKS), got {options.RagHnswMinChunks}.");
        }

        if (!Enum.IsDefined(options.RagVectorQuantization))
        {
            errors.Add($"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.RagVectorQuantization)}: expected None, Int8 or Binary (RAG_VECTOR_QUANTIZATION), got {options.RagVectorQuantization}.");
        }

        if (options.RagRescoreOversampling is < 1 or > 100)
        {
            errors.Add($"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.RagRescoreOversampling)}: expected 1 to 100, or leave it unset for the default, got {options.RagRescoreOversampling}.");
        }

        if (options.RagMirrorMaxBytes < Rag.RagVectorSearchSettings.MinMirrorMaxBytes)
        {
            errors.Add($"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.RagMirrorMaxBytes)}: expected at least {Rag.RagVectorSearchSettings.MinMirrorMaxBytes} (1 MiB), or leave it unset for 2 GiB, got {options.RagMirrorMaxBytes}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
