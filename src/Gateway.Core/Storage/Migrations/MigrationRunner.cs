using System.Data.Common;
using System.Globalization;
using Gateway.Storage.Relational;

namespace Gateway.Core.Storage.Migrations;

/// <summary>
/// Applies and reverts a backend's numbered migrations. Each step runs in its own transaction that
/// also holds the backend's migration lock, re-reads the version under that lock (so two processes
/// starting together apply each step once), and records itself in <c>gateway_schema_version</c>. A
/// step that fails is rolled back: the database stays at the previous version, readable. The
/// database is backed up before any upgrade and before any down step.
/// </summary>
public sealed class MigrationRunner
{
    private const string VersionTable = "gateway_schema_version";

    private readonly IMigrationBackend _backend;
    private readonly IReadOnlyList<SchemaMigration> _migrations;
    private readonly TimeProvider _time;

    /// <summary>Creates a runner for <paramref name="migrations"/> (numbered 1, 2, 3, …) on <paramref name="backend"/>.</summary>
    public MigrationRunner(IMigrationBackend backend, IReadOnlyList<SchemaMigration> migrations, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(migrations);
        _backend = backend;
        _migrations = migrations;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The newest version the runner knows.</summary>
    public int LatestVersion => _migrations.Count;

    /// <summary>Every known migration with whether, and when, it was applied.</summary>
    public async Task<IReadOnlyList<SchemaVersion>> ListAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _backend.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var applied = await ReadAppliedUnderLockAsync(connection, cancellationToken).ConfigureAwait(false);
            return _migrations
                .Select(migration => new SchemaVersion(migration.Version, migration.Name, applied.TryGetValue(migration.Version, out var at) ? at : null))
                .ToList();
        }
    }

    /// <summary>Upgrades to <paramref name="toVersion"/> (default: the newest).</summary>
    /// <exception cref="MigrationException">A step failed; the database is at the version before it.</exception>
    public async Task<MigrationResult> UpAsync(int? toVersion = null, CancellationToken cancellationToken = default)
    {
        var target = toVersion ?? LatestVersion;
        if (target < 0 || target > LatestVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(toVersion), target, $"Versions run from 0 to {LatestVersion}.");
        }

        var connection = await _backend.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var from = CurrentOf(await ReadAppliedUnderLockAsync(connection, cancellationToken).ConfigureAwait(false));
            if (from >= target)
            {
                return new MigrationResult(from, from, null);
            }

            var backup = await _backend.BackupAsync(from, cancellationToken).ConfigureAwait(false);
            foreach (var migration in _migrations.Where(m => m.Version > from && m.Version <= target))
            {
                await StepAsync(connection, migration, up: true, cancellationToken).ConfigureAwait(false);
            }

            return new MigrationResult(from, target, backup);
        }
    }

    /// <summary>Reverts to <paramref name="toVersion"/>, newest step first.</summary>
    /// <param name="toVersion">The version to end at (0 = empty).</param>
    /// <param name="force">Allows steps whose down script deletes user data.</param>
    /// <param name="cancellationToken">Cancels between and inside steps.</param>
    /// <exception cref="MigrationException">A step would delete user data without <paramref name="force"/>, or failed.</exception>
    public async Task<MigrationResult> DownAsync(int toVersion, bool force = false, CancellationToken cancellationToken = default)
    {
        if (toVersion < 0 || toVersion > LatestVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(toVersion), toVersion, $"Versions run from 0 to {LatestVersion}.");
        }

        var connection = await _backend.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var from = CurrentOf(await ReadAppliedUnderLockAsync(connection, cancellationToken).ConfigureAwait(false));
            var steps = _migrations.Where(m => m.Version > toVersion && m.Version <= from).Reverse().ToList();
            if (steps.Count == 0)
            {
                return new MigrationResult(from, from, null);
            }

            var destructive = steps.Where(m => m.DownDropsUserData).ToList();
            if (destructive.Count > 0 && !force)
            {
                throw new MigrationException(
                    $"Going down to version {toVersion} would delete user data ({string.Join(", ", destructive.Select(m => $"{m.Version} {m.Name}"))}). "
                    + "Run it with --force; the database is backed up first.",
                    from);
            }

            var backup = await _backend.BackupAsync(from, cancellationToken).ConfigureAwait(false);
            foreach (var migration in steps)
            {
                await StepAsync(connection, migration, up: false, cancellationToken).ConfigureAwait(false);
            }

            return new MigrationResult(from, toVersion, backup);
        }
    }

    private async Task StepAsync(DbConnection connection, SchemaMigration migration, bool up, CancellationToken cancellationToken)
    {
        var before = up ? migration.Version - 1 : migration.Version;
        var transaction = await _backend.BeginStepAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            // Another process may have moved the schema while this one waited for the lock.
            var current = CurrentOf(await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
            if (current != before)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                if (up ? current >= migration.Version : current < migration.Version)
                {
                    return;
                }

                throw new MigrationException($"Expected version {before} before step {migration.Version} ({migration.Name}), found {current}.", current);
            }

            try
            {
                await DbCommands.ExecuteAsync(connection, transaction, up ? migration.Up : migration.Down, cancellationToken).ConfigureAwait(false);
                if (up)
                {
                    await DbCommands.ExecuteAsync(
                        connection,
                        transaction,
                        $"INSERT INTO {VersionTable} (version, name, applied_at) VALUES (@version, @name, @applied_at)",
                        cancellationToken,
                        ("@version", migration.Version),
                        ("@name", migration.Name),
                        ("@applied_at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture))).ConfigureAwait(false);
                }
                else
                {
                    await DbCommands.ExecuteAsync(
                        connection, transaction, $"DELETE FROM {VersionTable} WHERE version = @version", cancellationToken, ("@version", migration.Version))
                        .ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                throw new MigrationException(
                    $"Migration {migration.Version} ({migration.Name}) {(up ? "up" : "down")} failed and was rolled back; the database stays at version {before}: {ex.Message}",
                    before,
                    ex);
            }
        }
    }

    /// <summary>Creates the version table if needed and reads it, under the migration lock.</summary>
    private async Task<Dictionary<int, DateTimeOffset>> ReadAppliedUnderLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await _backend.BeginStepAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await DbCommands.ExecuteAsync(
                connection,
                transaction,
                $"CREATE TABLE IF NOT EXISTS {VersionTable} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                cancellationToken).ConfigureAwait(false);
            var applied = await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return applied;
        }
    }

    private static async Task<Dictionary<int, DateTimeOffset>> ReadAppliedAsync(
        DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var rows = await DbCommands.ListAsync(
            connection,
            transaction,
            $"SELECT version, applied_at FROM {VersionTable}",
            reader => (Version: Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
                AppliedAt: DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture)),
            cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(row => row.Version, row => row.AppliedAt);
    }

    /// <summary>The version a database is at: the highest step applied (steps are applied in order).</summary>
    private static int CurrentOf(Dictionary<int, DateTimeOffset> applied) => applied.Count == 0 ? 0 : applied.Keys.Max();
}
