using Gateway.Core.Configuration;
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

    /// <summary>Adds SQLite or PostgreSQL storage, whichever the configured <c>GATEWAY_DB</c> names.</summary>
    public static IGatewayBuilder AddDatabaseStorage(this IGatewayBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var database = Read(configuration);
        if (PostgresConnectionStrings.IsPostgres(database))
        {
            return builder.AddPostgresStorage();
        }

        return database is not null && database.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase)
            ? builder.AddSqliteStorage(options => options.Path = SqlitePathOf(database))
            : builder.AddSqliteStorage();
    }

    /// <summary>
    /// The <c>GATEWAY_DB</c> value as <see cref="GatewayOptions"/> will read it: the flat variable wins
    /// over <c>Gateway:Database</c> (appsettings.json); <see langword="null"/> when neither is set.
    /// </summary>
    public static string? Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[GatewayEnvironmentVariables.Database] is { Length: > 0 } flat
            ? flat
            : configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Database)}"];
    }

    /// <summary><paramref name="database"/> without a leading <c>sqlite:</c>.</summary>
    public static string SqlitePathOf(string database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) ? database[SqlitePrefix.Length..] : database;
    }
}
