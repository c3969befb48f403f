using Gateway.Storage.Postgres;

namespace Gateway.Host;

/// <summary>
/// Chooses the storage backend from <c>GATEWAY_DB</c>, so one build of the host runs on either:
/// a PostgreSQL connection string (<c>Host=…</c>) or URL (<c>postgres://…</c>) selects PostgreSQL;
/// anything else is a SQLite file path, optionally written <c>sqlite:&lt;path&gt;</c>. The choice is
/// made here, in the composition root, because only the host sees both storage packages (each of
/// them depends on Gateway.Core only); see docs/adr/0010-postgres-backend.md.
/// </summary>
internal static class DatabaseStorage
{
    /// <summary>The prefix that names a SQLite file explicitly.</summary>
    public const string SqlitePrefix = "sqlite:";

    /// <summary>The variable that picks the storage (and is the database of either package).</summary>
    public const string Variable = "GATEWAY_DB";

    /// <summary>The host's appsettings form of <see cref="Variable"/>.</summary>
    public const string Key = "Gateway:Database";

    /// <summary>The SQLite file when neither <see cref="Variable"/> nor <see cref="Key"/> names a database.</summary>
    public const string DefaultSqlitePath = "data/gateway.db";

    /// <summary>Adds SQLite or PostgreSQL storage, whichever the configured <c>GATEWAY_DB</c> names.</summary>
    public static IGatewayBuilder AddDatabaseStorage(this IGatewayBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var database = Read(configuration);
        if (PostgresConnectionStrings.IsPostgres(database))
        {
            return builder.AddPostgresStorage(options => options.ConnectionString = database);
        }

        return database is not null
            ? builder.AddSqliteStorage(options => options.Path = SqlitePathOf(database))
            : builder.AddSqliteStorage();
    }

    /// <summary>
    /// The <c>GATEWAY_DB</c> value: the flat variable wins over the host's <c>Gateway:Database</c>
    /// (appsettings.json); <see langword="null"/> when neither is set.
    /// </summary>
    public static string? Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[Variable] is { Length: > 0 } flat ? flat : configuration[Key];
    }

    /// <summary><paramref name="database"/> without a leading <c>sqlite:</c>.</summary>
    public static string SqlitePathOf(string database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) ? database[SqlitePrefix.Length..] : database;
    }
}
