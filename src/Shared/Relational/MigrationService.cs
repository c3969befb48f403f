using Gateway.Core.Storage.Migrations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Storage.Relational;

/// <summary>
/// Migrates the database to the newest schema version when the host starts, before the services
/// registered after it (the HTTP server, a search indexer) use it. Each engine says whether to run,
/// how the log names its database and which runner applies its migrations.
/// </summary>
internal abstract partial class MigrationService(ILogger? logger) : IHostedService
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>The engine as the log names it.</summary>
    protected abstract string Engine { get; }

    /// <summary>The database as the log names it: a file's path, a database's name.</summary>
    protected abstract string DatabaseName { get; }

    /// <summary>Whether the storage options ask for migrations at start-up.</summary>
    protected abstract bool MigrateOnStart { get; }

    /// <summary>What the log says when the runner wrote no backup.</summary>
    protected abstract string NoBackup { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!MigrateOnStart)
        {
            return;
        }

        var result = await CreateRunner().UpAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.FromVersion == result.ToVersion)
        {
            LogCurrent(_logger, Engine, DatabaseName, result.ToVersion);
        }
        else
        {
            LogMigrated(_logger, Engine, DatabaseName, result.FromVersion, result.ToVersion, result.BackupPath ?? NoBackup);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The runner for this engine's migrations on the database.</summary>
    protected abstract MigrationRunner CreateRunner();

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrated the {Engine} database {Database} from schema version {FromVersion} to {ToVersion}; backup: {BackupPath}.")]
    private static partial void LogMigrated(ILogger logger, string engine, string database, int fromVersion, int toVersion, string backupPath);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {Engine} database {Database} is at the newest schema version, {Version}.")]
    private static partial void LogCurrent(ILogger logger, string engine, string database, int version);
}
