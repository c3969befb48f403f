using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// Migrates the database to the newest schema version when the host starts, before the services
/// registered after it (the HTTP server) use it. Replicas that start together wait for each other on
/// the migration's advisory lock; each step is applied once.
/// </summary>
internal sealed partial class PostgresMigrationService(
    PostgresDatabase database,
    IOptions<PostgresStorageOptions> options,
    TimeProvider time,
    ILogger<PostgresMigrationService>? logger = null) : IHostedService
{
    private readonly ILogger _logger = logger ?? NullLogger<PostgresMigrationService>.Instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
        {
            return;
        }

        var result = await PostgresMigrationBackend.CreateRunner(database.DataSource, time).UpAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var name = database.DataSource.ConnectionString is { Length: > 0 } text ? new Npgsql.NpgsqlConnectionStringBuilder(text).Database ?? "?" : "?";
        if (result.FromVersion == result.ToVersion)
        {
            LogCurrent(_logger, name, result.ToVersion);
        }
        else
        {
            LogMigrated(_logger, name, result.FromVersion, result.ToVersion);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrated the PostgreSQL database {Database} from schema version {FromVersion} to {ToVersion}.")]
    private static partial void LogMigrated(ILogger logger, string database, int fromVersion, int toVersion);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The PostgreSQL database {Database} is at the newest schema version, {Version}.")]
    private static partial void LogCurrent(ILogger logger, string database, int version);
}
