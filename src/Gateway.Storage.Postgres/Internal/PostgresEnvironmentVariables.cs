using Gateway.Core.Configuration;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>The flat environment variable of <see cref="PostgresStorageOptions"/> (see <c>.env.example</c>) and the key it stands for.</summary>
internal static class PostgresEnvironmentVariables
{
    /// <summary>The gateway's database, shared with the SQLite storage: here a connection string or URL.</summary>
    public const string Database = "GATEWAY_DB";

    /// <summary>The PostgreSQL variable, mapped onto the <c>Gateway:Postgres</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Text(Database, $"{PostgresStorageOptions.SectionName}:{nameof(PostgresStorageOptions.ConnectionString)}");
}
