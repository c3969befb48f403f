using System.Data.Common;
using System.Globalization;
using Gateway.Core.Storage.Migrations;
using Gateway.Storage.Postgres;
using Gateway.Storage.Sqlite;
using Npgsql;

namespace Gateway.Host.Migrations;

/// <summary>
/// <c>Gateway.Host migrate list|up [--to N]|down &lt;N&gt; [--force] [--db &lt;path-or-connection-string&gt;]</c>:
/// shows and moves the schema version of the gateway's database, SQLite or PostgreSQL, with <see cref="MigrationRunner"/>.
/// Runs before the web host is built, so a database can be inspected or repaired without starting the gateway.
/// </summary>
internal static class MigrateCommand
{
    /// <summary>Done (including "nothing to do").</summary>
    public const int Success = 0;

    /// <summary>A step failed and was rolled back, or the database could not be opened.</summary>
    public const int Failed = 1;

    /// <summary>Refused: a down step would delete user data without <c>--force</c>.</summary>
    public const int Refused = 2;

    /// <summary>The command line is wrong (EX_USAGE of sysexits.h).</summary>
    public const int UsageError = 64;

    /// <summary>Runs the command with <c>GATEWAY_DB</c> read from the process environment.</summary>
    /// <param name="args">The words after <c>migrate</c>.</param>
    /// <param name="output">Where progress and listings go.</param>
    /// <param name="error">Where usage text and failures go.</param>
    /// <param name="cancellationToken">Stops between and inside steps (a step in progress rolls back).</param>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(args, output, error, Environment.GetEnvironmentVariable, cancellationToken);

    /// <summary>Runs the command, reading environment variables through <paramref name="environment"/>.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var commandLine = new MigrateCommandLine();
        var parsed = commandLine.Parse(args);
        var arguments = MigrateArguments.From(commandLine, parsed, environment, out var usageProblem);
        if (arguments is null)
        {
            return await UsageAsync(error, usageProblem).ConfigureAwait(false);
        }

        if (arguments.Action == MigrateAction.Help)
        {
            MigrateCommandLine.WriteHelp(parsed, output);
            return Success;
        }

        if (MigrationDatabase.LooksLikePostgres(arguments.Database))
        {
            return await RunPostgresAsync(arguments, output, error, cancellationToken).ConfigureAwait(false);
        }

        var path = MigrationDatabase.SqlitePath(DatabaseStorage.SqlitePathOf(arguments.Database), out var pathProblem);
        if (path is null)
        {
            return await UsageAsync(error, pathProblem).ConfigureAwait(false);
        }

        path = Path.GetFullPath(path);
        var migrations = SqliteMigrationBackend.Migrations;
        if (arguments.Target > migrations.Count)
        {
            return await UsageAsync(error, $"There is no version {arguments.Target}: this build knows versions 0 to {migrations.Count}.")
                .ConfigureAwait(false);
        }

        var runner = new MigrationRunner(new SqliteMigrationBackend(path), migrations);
        try
        {
            return await RunActionAsync(arguments, runner, migrations, new Target(path, File.Exists(path), SqliteNoBackup), output, error, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MigrationException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return Failed;
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot migrate {path}: {ex.Message}").ConfigureAwait(false);
            return Failed;
        }
    }

    private const string SqliteNoBackup = "none (the database had no schema yet)";
    private const string PostgresNoBackup = "none (PostgreSQL: each step is one transaction; before a step that drops data, back up with pg_dump)";

    /// <summary>
    /// PostgreSQL: the same commands through the same runner; each step is one transaction under the
    /// migration advisory lock, so running this while gateway replicas start is safe.
    /// </summary>
    private static async Task<int> RunPostgresAsync(MigrateArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var migrations = PostgresMigrationBackend.Migrations;
        if (arguments.Target > migrations.Count)
        {
            return await UsageAsync(error, $"There is no version {arguments.Target}: this build knows versions 0 to {migrations.Count}.")
                .ConfigureAwait(false);
        }

        NpgsqlDataSource dataSource;
        string label;
        try
        {
            var connectionString = PostgresConnectionStrings.ToNpgsql(arguments.Database);
            var settings = new NpgsqlConnectionStringBuilder(connectionString);

            // The label names the database without its password.
            label = $"PostgreSQL database '{settings.Database ?? settings.Username}' on {settings.Host}:{settings.Port}";
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException ex)
        {
            return await UsageAsync(error, $"--db: not a PostgreSQL connection string Npgsql can read: {ex.Message}").ConfigureAwait(false);
        }

        await using (dataSource.ConfigureAwait(false))
        {
            try
            {
                // Listing must not create anything: look for the version table before the runner would create it.
                var command = dataSource.CreateCommand("SELECT to_regclass('gateway_schema_version') IS NOT NULL");
                bool hasSchema;
                await using (command.ConfigureAwait(false))
                {
                    hasSchema = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                var runner = PostgresMigrationBackend.CreateRunner(dataSource);
                return await RunActionAsync(arguments, runner, migrations, new Target(label, hasSchema, PostgresNoBackup), output, error, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (MigrationException ex)
            {
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return Failed;
            }
            catch (DbException ex)
            {
                await error.WriteLineAsync($"Cannot migrate the {label}: {ex.Message}").ConfigureAwait(false);
                return Failed;
            }
        }
    }

    private static async Task<int> RunActionAsync(
        MigrateArguments arguments,
        MigrationRunner runner,
        IReadOnlyList<SchemaMigration> migrations,
        Target target,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken) => arguments.Action switch
        {
            MigrateAction.List => await ListAsync(runner, migrations, target, output, cancellationToken).ConfigureAwait(false),
            MigrateAction.Up => await UpAsync(runner, migrations, target, arguments.Target, output, cancellationToken).ConfigureAwait(false),
            _ => await DownAsync(runner, migrations, target, arguments.Target!.Value, arguments.Force, output, error, cancellationToken)
                .ConfigureAwait(false),
        };

    private static async Task<int> ListAsync(
        MigrationRunner runner, IReadOnlyList<SchemaMigration> migrations, Target target, TextWriter output, CancellationToken cancellationToken)
    {
        // Listing must not create a database at a mistyped path.
        var path = target.Label;
        var versions = target.Exists
            ? await runner.ListAsync(cancellationToken).ConfigureAwait(false)
            : migrations.Select(m => new SchemaVersion(m.Version, m.Name, null)).ToList();
        var current = CurrentOf(versions);
        await output.WriteLineAsync(target.Exists
            ? $"{path}: version {current} of {migrations.Count}"
            : $"{path}: no database yet (version 0 of {migrations.Count}); 'migrate up' creates it").ConfigureAwait(false);

        var nameWidth = migrations.Count == 0 ? 0 : migrations.Max(m => m.Name.Length);
        foreach (var version in versions)
        {
            var state = version.AppliedAt is { } at
                ? "applied " + at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : "pending";
            var drops = migrations[version.Version - 1].DownDropsUserData ? "  (down drops user data)" : string.Empty;
            await output.WriteLineAsync(
                $"{version.Version,4}  {version.Name.PadRight(nameWidth)}  {state}{drops}").ConfigureAwait(false);
        }

        return Success;
    }

    private static async Task<int> UpAsync(
        MigrationRunner runner,
        IReadOnlyList<SchemaMigration> migrations,
        Target database,
        int? target,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        var path = database.Label;
        var current = CurrentOf(await runner.ListAsync(cancellationToken).ConfigureAwait(false));
        var to = target ?? migrations.Count;
        if (current >= to)
        {
            await output.WriteLineAsync(current > to
                ? $"{path} is at version {current}, past {to}; nothing to do (use 'migrate down {to}' to go back)."
                : $"{path} is at version {current}; nothing to do.").ConfigureAwait(false);
            return Success;
        }

        await output.WriteLineAsync($"Upgrading {path} from version {current} to {to}.").ConfigureAwait(false);
        MigrationResult result;
        try
        {
            result = await runner.UpAsync(to, cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationException ex)
        {
            await WriteStepsAsync(output, "Applied", migrations.Where(m => m.Version > current && m.Version <= ex.CurrentVersion)).ConfigureAwait(false);
            throw;
        }

        await WriteBackupAsync(output, result, database.NoBackup).ConfigureAwait(false);
        await WriteStepsAsync(output, "Applied", migrations.Where(m => m.Version > result.FromVersion && m.Version <= result.ToVersion))
            .ConfigureAwait(false);
        await output.WriteLineAsync($"{path} is at version {result.ToVersion}.").ConfigureAwait(false);
        return Success;
    }

    private static async Task<int> DownAsync(
        MigrationRunner runner,
        IReadOnlyList<SchemaMigration> migrations,
        Target database,
        int target,
        bool force,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        var path = database.Label;
        if (!database.Exists)
        {
            await error.WriteLineAsync($"There is no database at {path}.").ConfigureAwait(false);
            return Failed;
        }

        var current = CurrentOf(await runner.ListAsync(cancellationToken).ConfigureAwait(false));
        if (current <= target)
        {
            await output.WriteLineAsync($"{path} is at version {current}; nothing to revert to reach {target}.").ConfigureAwait(false);
            return Success;
        }

        var steps = migrations.Where(m => m.Version > target && m.Version <= current).Reverse().ToList();
        var destructive = steps.Where(m => m.DownDropsUserData).ToList();
        if (destructive.Count > 0 && !force)
        {
            await error.WriteLineAsync(
                $"Refused: going down to version {target} would delete user data "
                + $"(step {string.Join(", ", destructive.Select(m => $"{m.Version} {m.Name}"))} drops it). "
                + $"Nothing was changed; {path} stays at version {current}. "
                + $"Run 'migrate down {target} --force' to do it anyway; the database is backed up first.").ConfigureAwait(false);
            return Refused;
        }

        await output.WriteLineAsync($"Reverting {path} from version {current} to {target}.").ConfigureAwait(false);
        MigrationResult result;
        try
        {
            result = await runner.DownAsync(target, force, cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationException ex)
        {
            await WriteStepsAsync(output, "Reverted", steps.Where(m => m.Version > ex.CurrentVersion)).ConfigureAwait(false);
            throw;
        }

        await WriteBackupAsync(output, result, database.NoBackup).ConfigureAwait(false);
        await WriteStepsAsync(output, "Reverted", steps.Where(m => m.Version > result.ToVersion && m.Version <= result.FromVersion))
            .ConfigureAwait(false);
        await output.WriteLineAsync($"{path} is at version {result.ToVersion}.").ConfigureAwait(false);
        return Success;
    }

    private static async Task<int> UsageAsync(TextWriter error, string? problem)
    {
        await error.WriteLineAsync(problem).ConfigureAwait(false);
        await error.WriteLineAsync().ConfigureAwait(false);
        new MigrateCommandLine().WriteUsage(error);
        return UsageError;
    }

    private static async Task WriteBackupAsync(TextWriter output, MigrationResult result, string noBackup) =>
        await output.WriteLineAsync(result.BackupPath is { } backup
            ? $"Backup: {backup}"
            : $"Backup: {noBackup}").ConfigureAwait(false);

    private static async Task WriteStepsAsync(TextWriter output, string verb, IEnumerable<SchemaMigration> steps)
    {
        foreach (var step in steps)
        {
            await output.WriteLineAsync($"  {verb} {step.Version} {step.Name}").ConfigureAwait(false);
        }
    }

    private static int CurrentOf(IEnumerable<SchemaVersion> versions) =>
        versions.Where(v => v.Applied).Select(v => v.Version).DefaultIfEmpty(0).Max();

    /// <summary>The database a command works on: how to name it, whether it has a schema yet, what "no backup" means there.</summary>
    private sealed record Target(string Label, bool Exists, string NoBackup);
}
