using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.AspNetCore.Chat;
using Gateway.AspNetCore.Conversations;
using Gateway.AspNetCore.Embeddings;
using Gateway.AspNetCore.Models;
using Gateway.AspNetCore.Profiles;
using Gateway.AspNetCore.Rag;
using Gateway.AspNetCore.Spaces;

namespace Gateway.AspNetCore.Internal;

/// <summary>Source-generated JSON for the gateway's own API (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChatRequestBody))]
[JsonSerializable(typeof(ChatResponseBody))]
[JsonSerializable(typeof(ChatStreamDoneBody))]
[JsonSerializable(typeof(ChatStreamCitationsBody))]
[JsonSerializable(typeof(ModelListBody))]
[JsonSerializable(typeof(ModelBody))]
[JsonSerializable(typeof(CreateConversationBody))]
[JsonSerializable(typeof(PatchConversationBody))]
[JsonSerializable(typeof(AppendMessageBody))]
[JsonSerializable(typeof(ModelProfileBody))]
[JsonSerializable(typeof(SpaceBody))]
[JsonSerializable(typeof(EmbeddingRequestBody))]
[JsonSerializable(typeof(EmbeddingResponseBody))]
[JsonSerializable(typeof(CreateCollectionBody))]
[JsonSerializable(typeof(PatchCollectionBody))]
[JsonSerializable(typeof(IngestDocumentsBody))]
[JsonSerializable(typeof(IngestionStatusBody))]
[JsonSerializable(typeof(IngestionStartedBody))]
[JsonSerializable(typeof(SearchBody))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
