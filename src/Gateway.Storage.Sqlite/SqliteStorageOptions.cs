using Gateway.Core.Vectors;

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
    /// How many of the newest matches a search ranks by relevance (at least 1; default 500): message search,
    /// and RAG keyword search over chunks (the newest matching chunks in the searched collections that the
    /// filter accepts). Older matches are left out (message search says so); a larger window finds older
    /// matches of common words but costs time in proportion (reading and scoring each candidate).
    /// </summary>
    public int SearchCandidateLimit { get; set; } = Search.SqliteMessageSearch.DefaultCandidateLimit;

    /// <summary>
    /// From how many chunks a RAG collection gets an HNSW index (<c>RAG_HNSW_MIN_CHUNKS</c>; default 50,000;
    /// 0 turns indexes off). The index (USearch) is kept beside the database file in <c>&lt;file&gt;.hnsw/</c>,
    /// built in the background (searches stay exact until it is ready), loaded again at start while it matches
    /// the collection, and rebuilt when it does not. Searches with a filter are always exact.
    /// </summary>
    public int RagHnswMinChunks { get; set; } = 50_000;

    /// <summary>
    /// Codes for a fast first pass of unfiltered RAG searches below the HNSW size (<c>RAG_VECTOR_QUANTIZATION</c>:
    /// <c>none</c> (default), <c>int8</c> or <c>binary</c>); the best candidates are rescored exactly, so scores stay
    /// exact and only recall is approximate. Int8 adds a quarter of the float32 memory, binary a 32nd.
    /// </summary>
    public VectorQuantization RagVectorQuantization { get; set; } = VectorQuantization.None;

    /// <summary>Candidates per result that the codes nominate for rescoring (1 to 100; binary codes nominate at least that many, plus every row within their noise margin); <see langword="null"/> (the default) for 4 with int8 and 16 with binary.</summary>
    public int? RagRescoreOversampling { get; set; }

    /// <summary>
    /// About how many bytes the in-memory copies of RAG collections' vectors may take together (at least 1 MiB;
    /// default 2 GiB). Past it, the least recently searched collections' copies are dropped and loaded again by
    /// their next search; a single collection larger than this is still searched, held alone.
    /// </summary>
    public long RagMirrorMaxBytes { get; set; } = Rag.RagVectorSearchSettings.DefaultMirrorMaxBytes;
}
