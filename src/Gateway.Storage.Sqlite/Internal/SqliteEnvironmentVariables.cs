using Gateway.Core.Configuration;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>The flat environment variable of <see cref="SqliteStorageOptions"/> (see <c>.env.example</c>) and the key it stands for.</summary>
internal static class SqliteEnvironmentVariables
{
    /// <summary>The gateway's database, shared with the PostgreSQL storage: here a SQLite file path.</summary>
    public const string Database = "GATEWAY_DB";

    /// <summary>The file when neither <c>GATEWAY_DB</c> nor the options name one.</summary>
    public const string DefaultPath = "data/gateway.db";

    /// <summary>The SQLite variable, mapped onto the <c>Gateway:Sqlite</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Text(Database, $"{SqliteStorageOptions.SectionName}:{nameof(SqliteStorageOptions.Path)}");
}
