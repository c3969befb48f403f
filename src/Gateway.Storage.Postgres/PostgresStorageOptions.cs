namespace Gateway.Storage.Postgres;

/// <summary>
/// Settings of the PostgreSQL storage, registered by <c>AddPostgresStorage</c>: bound from the
/// <c>Gateway:Postgres</c> configuration section, <c>GATEWAY_DB</c> applied over it, then the app's
/// <c>configure</c>; validated at start-up.
/// </summary>
public sealed class PostgresStorageOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway:Postgres";

    /// <summary>
    /// The database (<c>GATEWAY_DB</c>, <c>Gateway:Postgres:ConnectionString</c>): an Npgsql connection
    /// string (<c>Host=…;Database=…;Username=…</c>) or a <c>postgres://</c> URL. <see langword="null"/>
    /// (the default) uses the <c>NpgsqlDataSource</c> the app registered (for example with
    /// <c>AddNpgsqlDataSource</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Whether start-up migrates the database to the newest schema version. Default <see langword="true"/>:
    /// replicas starting together queue on an advisory lock and the schema is migrated once. Turn it off
    /// when migrations are run by hand (<c>migrate up</c>) or by a role with more rights than the gateway's.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// How many matches a search ranks (100 to 100,000; default 1,000): the newest, for message search; for RAG
    /// keyword search the matching chunks (in the searched collections, accepted by the filter) with the highest ids.
    /// </summary>
    public int SearchCandidateLimit { get; set; } = Search.PostgresMessageSearch.DefaultCandidateLimit;
}
