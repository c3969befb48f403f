using System.Globalization;
using Gateway.Storage.Postgres;
using Npgsql;

namespace Gateway.Benchmarks.Storage.Postgres;

/// <summary>
/// The PostgreSQL server the benchmarks run against: GATEWAY_BENCH_POSTGRES, a role that may create
/// databases (build/bench-postgres.sh starts a loopback server with default durability and sets it).
/// </summary>
public static class PostgresBench
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("GATEWAY_BENCH_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("GATEWAY_BENCH_POSTGRES is not set: run the PostgreSQL benchmarks with build/bench-postgres.sh.");

    /// <summary>The connection string of database <paramref name="name"/> on the benchmark server.</summary>
    public static string Database(string name) => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;

    /// <summary>Creates a fresh database migrated to the newest schema; returns its connection string.</summary>
    public static string NewDatabase()
    {
        var name = "gw_bench_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        Execute(ConnectionString, $"CREATE DATABASE {name}");
        var connectionString = Database(name);
        using var dataSource = NpgsqlDataSource.Create(connectionString);
        PostgresMigrationBackend.CreateRunner(dataSource).UpAsync().GetAwaiter().GetResult();
        return connectionString;
    }

    /// <summary>Database <paramref name="name"/>, created empty when missing and kept for later runs (the store under test migrates it); its connection string.</summary>
    public static string KeptDatabase(string name)
    {
        using (var server = new NpgsqlConnection(ConnectionString))
        {
            server.Open();
            using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", server);
            exists.Parameters.AddWithValue("name", name);
            if (!(bool)exists.ExecuteScalar()!)
            {
                Execute(ConnectionString, $"CREATE DATABASE {name}");
            }
        }

        return Database(name);
    }

    public static void DropDatabase(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        Execute(ConnectionString, $"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(connectionString).Database} WITH (FORCE)");
    }

    public static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }
}
