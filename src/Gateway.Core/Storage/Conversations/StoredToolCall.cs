using System.Text.Json.Serialization;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// One tool call an assistant message asked for, as stored: a later <c>tool</c> message answers it by
/// <see cref="Id"/> (its <see cref="ConversationMessage.ToolCallId"/>).
/// </summary>
/// <param name="Id">The call id the model gave it, e.g. <c>call_abc123</c>.</param>
/// <param name="Name">The name of the function it calls.</param>
/// <param name="Arguments">
/// The arguments as JSON text (an object), kept exactly as given. In JSON (the HTTP API) they are that object;
/// a string holding its text reads too.
/// </param>
public sealed record StoredToolCall(
    string Id,
    string Name,
    [property: JsonConverter(typeof(StoredToolCallArgumentsConverter))] string Arguments);
