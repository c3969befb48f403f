using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Migrates the database to the newest schema version when the host starts, before the services
/// registered after it (the search indexer, the HTTP server) start using it.
/// </summary>
internal sealed partial class SqliteMigrationService(
    SqliteDatabase database,
    IOptions<SqliteStorageOptions> options,
    TimeProvider time,
    ILogger<SqliteMigrationService>? logger = null) : IHostedService
{
    private readonly ILogger _logger = logger ?? NullLogger<SqliteMigrationService>.Instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
        {
            return;
        }

        var result = await SqliteMigrationBackend.CreateRunner(database.Path, time).UpAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.FromVersion == result.ToVersion)
        {
            LogCurrent(_logger, database.Path, result.ToVersion);
        }
        else
        {
            LogMigrated(_logger, database.Path, result.FromVersion, result.ToVersion, result.BackupPath ?? "none (the database was empty)");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrated the SQLite database {Path} from schema version {FromVersion} to {ToVersion}; backup: {BackupPath}.")]
    private static partial void LogMigrated(ILogger logger, string path, int fromVersion, int toVersion, string backupPath);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The SQLite database {Path} is at the newest schema version, {Version}.")]
    private static partial void LogCurrent(ILogger logger, string path, int version);
}
