using System.Data.Common;

namespace Gateway.Core.Storage.Migrations;

/// <summary>
/// What <see cref="MigrationRunner"/> needs from a database engine: connections, a transaction that
/// also holds the engine's migration lock, and a backup before an upgrade or a destructive step.
/// </summary>
public interface IMigrationBackend
{
    /// <summary>Opens a connection to the database, creating it if the engine does that.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Begins the transaction one step runs in. It must hold a lock that keeps every other process's
    /// migration step out until it ends, so two processes never apply the same step.
    /// </summary>
    Task<DbTransaction> BeginStepAsync(DbConnection connection, CancellationToken cancellationToken = default);

    /// <summary>Copies the database aside before it changes; returns where, or <see langword="null"/> when there is nothing to keep yet.</summary>
    Task<string?> BackupAsync(int currentVersion, CancellationToken cancellationToken = default);
}
