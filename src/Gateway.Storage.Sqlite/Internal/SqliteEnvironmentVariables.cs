using Gateway.Core.Configuration;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>The flat environment variable of <see cref="SqliteStorageOptions"/> (see <c>.env.example</c>) and the key it stands for.</summary>
internal static class SqliteEnvironmentVariables
{
    /// <summary>The gateway's database, shared with the PostgreSQL storage: here a SQLite file path.</summary>
    public const string Database = "GATEWAY_DB";

    /// <summary>The file when neither <c>GATEWAY_DB</c> nor the options name one.</summary>
    public const string DefaultPath = "data/gateway.db";

    /// <summary>From how many chunks a RAG collection gets an HNSW index.</summary>
    public const string HnswMinChunks = "RAG_HNSW_MIN_CHUNKS";

    /// <summary>The codes of unfiltered RAG searches below the HNSW size.</summary>
    public const string VectorQuantization = "RAG_VECTOR_QUANTIZATION";

    /// <summary>The SQLite variables, mapped onto the <c>Gateway:Sqlite</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Text(Database, $"{SqliteStorageOptions.SectionName}:{nameof(SqliteStorageOptions.Path)}")
        .Number(HnswMinChunks, $"{SqliteStorageOptions.SectionName}:{nameof(SqliteStorageOptions.RagHnswMinChunks)}")
        .OneOf(VectorQuantization, $"{SqliteStorageOptions.SectionName}:{nameof(SqliteStorageOptions.RagVectorQuantization)}", "none", "int8", "binary");
}
