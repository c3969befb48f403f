using Gateway.Core.Storage.Migrations;
using Gateway.Storage.Relational;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Migrates the SQLite file at start-up, after an online backup of it when it had a schema already.</summary>
internal sealed class SqliteMigrationService(
    SqliteDatabase database,
    IOptions<SqliteStorageOptions> options,
    TimeProvider time,
    ILogger<SqliteMigrationService>? logger = null) : MigrationService(logger)
{
    protected override string Engine => "SQLite";

    protected override string DatabaseName => database.Path;

    protected override bool MigrateOnStart => options.Value.MigrateOnStart;

    protected override string NoBackup => "none (the database was empty)";

    protected override MigrationRunner CreateRunner() => SqliteMigrationBackend.CreateRunner(database.Path, time);
}
