using System.Diagnostics;
using System.Globalization;
using Gateway.Storage.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Benchmarks.Storage.Postgres;

/// <summary>
/// The search corpus of <see cref="SearchCorpus"/> (the same 1,000,000 messages, ids, conversations and
/// spaces) in a PostgreSQL database on the benchmark server, copied row by row from the SQLite corpus
/// file with binary COPY, then indexed (GIN built once after the load) and analysed. Built once and
/// reused while the server's data folder lives.
/// </summary>
public static class PostgresSearchCorpus
{
    private const string Name = "gateway_bench_corpus_v1";

    public static string Ensure(TextWriter log)
    {
        var connectionString = PostgresBench.Database(Name);
        using (var server = new NpgsqlConnection(PostgresBench.ConnectionString))
        {
            server.Open();
            using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", server);
            exists.Parameters.AddWithValue("name", Name);
            if ((bool)exists.ExecuteScalar()!)
            {
                using var probe = new NpgsqlConnection(connectionString);
                probe.Open();
                using var complete = new NpgsqlCommand("SELECT to_regclass('corpus_complete') IS NOT NULL", probe);
                if ((bool)complete.ExecuteScalar()!)
                {
                    return connectionString;
                }

                NpgsqlConnection.ClearAllPools();
                PostgresBench.Execute(PostgresBench.ConnectionString, $"DROP DATABASE {Name} WITH (FORCE)");
            }
        }

        var clock = Stopwatch.StartNew();
        var sqlitePath = SearchCorpus.Ensure(log);
        PostgresBench.Execute(PostgresBench.ConnectionString, $"CREATE DATABASE {Name}");
        using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            PostgresMigrationBackend.CreateRunner(dataSource).UpAsync().GetAwaiter().GetResult();
        }

        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();

        // One GIN build after the load is much faster than maintaining the index row by row.
        Execute(connection, "DROP INDEX messages_search");
        using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlitePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        sqlite.Open();
        using (var importer = connection.BeginBinaryImport(
            "COPY conversations (id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id) FROM STDIN (FORMAT BINARY)"))
        using (var read = sqlite.CreateCommand())
        {
            read.CommandText = "SELECT id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id FROM conversations ORDER BY id";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                importer.StartRow();
                importer.Write(reader.GetString(0), NpgsqlDbType.Text);
                importer.Write(reader.GetString(1), NpgsqlDbType.Text);
                importer.Write(reader.GetString(2), NpgsqlDbType.Text);
                importer.Write(reader.GetString(3), NpgsqlDbType.Jsonb);
                importer.Write(Time(reader.GetString(4)), NpgsqlDbType.TimestampTz);
                importer.Write(Time(reader.GetString(5)), NpgsqlDbType.TimestampTz);
                importer.Write(reader.GetInt64(6) != 0, NpgsqlDbType.Boolean);
                importer.Write(reader.GetInt32(7), NpgsqlDbType.Integer);
                importer.Write(reader.GetString(8), NpgsqlDbType.Text);
            }

            importer.Complete();
        }

        log.WriteLine($"postgres corpus: conversations copied ({clock.Elapsed.TotalSeconds:F0} s)");
        using (var importer = connection.BeginBinaryImport(
            "COPY messages (id, conversation_id, parent_id, role, content, status, created_at) FROM STDIN (FORMAT BINARY)"))
        using (var read = sqlite.CreateCommand())
        {
            // In seq order, so the identity gives every message the seq it has in the SQLite corpus.
            read.CommandText = "SELECT id, conversation_id, parent_id, role, content, status, created_at FROM messages ORDER BY seq";
            using var reader = read.ExecuteReader();
            var count = 0;
            while (reader.Read())
            {
                importer.StartRow();
                importer.Write(reader.GetString(0), NpgsqlDbType.Text);
                importer.Write(reader.GetString(1), NpgsqlDbType.Text);
                if (reader.IsDBNull(2))
                {
                    importer.WriteNull();
                }
                else
                {
                    importer.Write(reader.GetString(2), NpgsqlDbType.Text);
                }

                importer.Write(reader.GetString(3), NpgsqlDbType.Text);
                importer.Write(reader.GetString(4), NpgsqlDbType.Text);
                importer.Write(reader.GetString(5), NpgsqlDbType.Text);
                importer.Write(Time(reader.GetString(6)), NpgsqlDbType.TimestampTz);
                if (++count % 100_000 == 0)
                {
                    log.WriteLine($"postgres corpus: {count:N0} messages copied ({clock.Elapsed.TotalSeconds:F0} s)");
                }
            }

            importer.Complete();
        }

        log.WriteLine($"postgres corpus: building the GIN index ({clock.Elapsed.TotalSeconds:F0} s)");
        Execute(connection, "SET maintenance_work_mem = '1GB'");
        Execute(connection, "CREATE INDEX messages_search ON messages USING gin (search)");
        Execute(connection, "VACUUM ANALYZE messages");
        Execute(connection, "VACUUM ANALYZE conversations");
        Execute(connection, "CREATE TABLE corpus_complete ()");
        log.WriteLine($"postgres corpus: done ({clock.Elapsed.TotalSeconds:F0} s)");
        return connectionString;
    }

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }
}
