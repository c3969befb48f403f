using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Rag.Ingestion.Internal;

/// <summary>Source-generated JSON (camelCase) for an ingestion job's payload, progress, checkpoint and result.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IngestionPayload))]
[JsonSerializable(typeof(IngestionProgress))]
internal sealed partial class IngestionJsonContext : JsonSerializerContext;
