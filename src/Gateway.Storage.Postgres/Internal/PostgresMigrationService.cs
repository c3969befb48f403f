using Gateway.Core.Storage.Migrations;
using Gateway.Storage.Relational;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// Migrates the PostgreSQL database at start-up. Replicas that start together wait for each other on
/// the migration's advisory lock; each step is applied once.
/// </summary>
internal sealed class PostgresMigrationService(
    PostgresDatabase database,
    IOptions<PostgresStorageOptions> options,
    TimeProvider time,
    ILogger<PostgresMigrationService>? logger = null) : MigrationService(logger)
{
    protected override string Engine => "PostgreSQL";

    protected override string DatabaseName =>
        database.DataSource.ConnectionString is { Length: > 0 } text ? new NpgsqlConnectionStringBuilder(text).Database ?? "?" : "?";

    protected override bool MigrateOnStart => options.Value.MigrateOnStart;

    protected override string NoBackup => "none (back PostgreSQL up with pg_dump)";

    protected override MigrationRunner CreateRunner() => PostgresMigrationBackend.CreateRunner(database.DataSource, time);
}
