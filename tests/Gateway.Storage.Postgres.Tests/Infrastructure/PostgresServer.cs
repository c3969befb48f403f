using System.Globalization;
using Npgsql;

namespace Gateway.Storage.Postgres.Tests.Infrastructure;

/// <summary>
/// The throwaway PostgreSQL that build/test.sh starts on loopback (GATEWAY_TEST_POSTGRES: an ordinary
/// role that may create databases; GATEWAY_TEST_POSTGRES_ADMIN: the superuser). Every test that needs a
/// database creates its own and drops it afterwards, so tests run in parallel without seeing each other.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<NpgsqlDataSource> Owner = new(() => NpgsqlDataSource.Create(ConnectionString));
    private static readonly Lazy<NpgsqlDataSource> Admin = new(() => NpgsqlDataSource.Create(AdminConnectionString));

    /// <summary>The test role's connection string (its own database).</summary>
    public static string ConnectionString => Read("GATEWAY_TEST_POSTGRES");

    /// <summary>The superuser's connection string.</summary>
    public static string AdminConnectionString => Read("GATEWAY_TEST_POSTGRES_ADMIN");

    /// <summary>Creates an empty database owned by the test role; returns the test role's connection string for it.</summary>
    /// <param name="withoutExtensions">Copy template0 (no pgvector) instead of template1 (pgvector preinstalled by the test script).</param>
    public static async Task<string> CreateDatabaseAsync(bool withoutExtensions = false)
    {
        // The name is made here from a GUID's hex digits: nothing from outside reaches the identifier.
        var name = "gw_test_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        await ExecuteAsync(Owner.Value, $"CREATE DATABASE {name}{(withoutExtensions ? " TEMPLATE template0" : string.Empty)}");
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the database of <paramref name="connectionString"/>, ending any session still on it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        if (!name.StartsWith("gw_test_", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Refusing to drop '{name}': not a test database.");
        }

        // As the superuser: FORCE ends the sessions still on the database, and a test role may not end
        // a superuser's session (one a superuser test just closed can linger for a moment server-side).
        await ExecuteAsync(Admin.Value, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>The superuser's connection string for the database of <paramref name="connectionString"/>.</summary>
    public static string AsAdmin(string connectionString) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = new NpgsqlConnectionStringBuilder(connectionString).Database }.ConnectionString;

    /// <summary>Runs one statement as the superuser on the database of <paramref name="connectionString"/>.</summary>
    public static async Task<object?> AdminScalarAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(AsAdmin(connectionString));
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Runs one statement as the test role on the database of <paramref name="connectionString"/>.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static string Read(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set. Run the tests with build/test.sh, which starts a throwaway PostgreSQL on loopback and sets it.");
}
