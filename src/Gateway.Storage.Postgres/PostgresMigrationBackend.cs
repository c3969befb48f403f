using System.Data.Common;
using Gateway.Core.Storage.Migrations;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Runs migrations on a PostgreSQL database. Each step is a transaction that first takes a
/// transaction-scoped advisory lock (<c>pg_advisory_xact_lock</c>), so when N gateway replicas start
/// together on an empty database they queue on it: the first applies the step, the others re-read the
/// version under the lock and find it done. DDL is transactional in PostgreSQL, so a failed step
/// leaves nothing behind. There is no file to copy aside: back the database up with <c>pg_dump</c>
/// before a down step that drops user data.
/// </summary>
public sealed class PostgresMigrationBackend : IMigrationBackend
{
    /// <summary>The advisory lock key every Gateway migration step holds (an arbitrary 64-bit constant: "gateway!").</summary>
    public const long AdvisoryLockKey = 0x67617465_77617921;

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the backend for the database of <paramref name="dataSource"/>.</summary>
    public PostgresMigrationBackend(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>The migrations this package ships, from its embedded scripts.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations { get; } = EmbeddedMigrations.Load(typeof(PostgresMigrationBackend).Assembly);

    /// <summary>A runner for this package's migrations on the database of <paramref name="dataSource"/>.</summary>
    public static MigrationRunner CreateRunner(NpgsqlDataSource dataSource, TimeProvider? time = null) =>
        new(new PostgresMigrationBackend(dataSource), Migrations, time);

    /// <inheritdoc />
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<DbTransaction> BeginStepAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await ((NpgsqlConnection)connection).BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", (NpgsqlConnection)connection, transaction);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue("key", AdvisoryLockKey);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public Task<string?> BackupAsync(int currentVersion, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
}
