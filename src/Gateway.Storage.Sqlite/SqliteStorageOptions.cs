namespace Gateway.Storage.Sqlite;

/// <summary>
/// Settings of the SQLite storage, registered by <c>AddSqliteStorage</c>: bound from the
/// <c>Gateway:Sqlite</c> configuration section, <c>GATEWAY_DB</c> applied over it, then the app's
/// <c>configure</c>; validated at start-up.
/// </summary>
public sealed class SqliteStorageOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway:Sqlite";

    /// <summary>
    /// The SQLite file (<c>GATEWAY_DB</c>, <c>Gateway:Sqlite:Path</c>). <see langword="null"/> (the
    /// default) is <c>data/gateway.db</c>, relative to the working directory.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// Whether start-up migrates the database to the newest schema version (backing it up first when it
    /// holds data). Default <see langword="true"/>; turn it off when migrations are run by hand
    /// (<c>migrate up</c>) and the host must refuse an old schema rather than change it.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// How long a write waits for another writer's lock before the attempt counts as busy (1 second to
    /// 5 minutes; default 10 seconds). After every retry is busy the store answers <c>storage_busy</c> (HTTP 503).
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Messages the search indexer adds per transaction while it catches up after an import (100 to
    /// 100,000; default 2,000). Smaller batches hold the write lock for less time at a time.
    /// </summary>
    public int IndexBatchSize { get; set; } = Search.SqliteSearchIndexer.DefaultBatchSize;

    /// <summary>
    /// How many of the newest matches a search ranks by relevance (at least 1; default 500). Older
    /// matches are left out and the results say so; a larger window finds older messages for common
    /// words but costs time in proportion (reading and scoring each candidate).
    /// </summary>
    public int SearchCandidateLimit { get; set; } = Search.SqliteMessageSearch.DefaultCandidateLimit;
}
