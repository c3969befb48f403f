using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Core.Storage.Conversations.Archive.Internal;
using Gateway.Storage.Relational;

namespace Gateway.Core.Storage.Conversations.Archive;

/// <summary>
/// Writes conversations in the gateway's export format (<see cref="ConversationArchiveFormat.Name"/>,
/// version <see cref="ConversationArchiveFormat.CurrentVersion"/>), which <see cref="ConversationArchiveReader"/> reads back.
/// </summary>
public static class ConversationArchiveWriter
{
    /// <summary>Flushing in pieces of this size keeps memory constant without a write per small conversation.</summary>
    private const int FlushThresholdBytes = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The file is data for a program, never HTML; escaping every non-ASCII letter would only make it
        // larger and unreadable for most of the world's text.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Refuse to write what the reader would refuse to read back.
        MaxDepth = ArchiveElements.MaxDepth,
    };

    /// <summary>
    /// Writes one JSON document holding <paramref name="conversations"/> to <paramref name="destination"/>,
    /// flushing as it goes: memory stays constant however many conversations there are. Every member is
    /// always written, <c>null</c> where a value is absent.
    /// </summary>
    /// <param name="destination">Where the document goes; left open.</param>
    /// <param name="conversations">The conversations, each with its messages parents first (as a store exports them).</param>
    /// <param name="time">The clock for <c>exportedAt</c>.</param>
    /// <param name="cancellationToken">Stops writing; what was flushed stays written.</param>
    /// <exception cref="ArgumentException">A conversation's metadata is neither a JSON object nor absent.</exception>
    public static async Task WriteAsync(
        Stream destination, IAsyncEnumerable<ArchivedConversation> conversations, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentNullException.ThrowIfNull(time);

        var writer = new Utf8JsonWriter(destination, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("format", ConversationArchiveFormat.Name);
            writer.WriteNumber("formatVersion", ConversationArchiveFormat.CurrentVersion);
            writer.WriteString("exportedAt", time.GetUtcNow().UtcDateTime);
            writer.WriteStartArray("conversations");
            await foreach (var archived in conversations.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                ArgumentNullException.ThrowIfNull(archived);
                WriteConversationStart(writer, archived);
                foreach (var message in archived.Messages)
                {
                    WriteMessage(writer, message);
                    if (writer.BytesPending >= FlushThresholdBytes)
                    {
                        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                if (writer.BytesPending >= FlushThresholdBytes)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void WriteConversationStart(Utf8JsonWriter writer, ArchivedConversation archived)
    {
        var conversation = archived.Conversation;
        writer.WriteStartObject();
        writer.WriteString("id", conversation.Id);
        writer.WriteString("title", conversation.Title);
        writer.WriteString("spaceId", conversation.SpaceId);
        writer.WritePropertyName("metadata");
        switch (conversation.Metadata.ValueKind)
        {
            case JsonValueKind.Object:
                conversation.Metadata.WriteTo(writer);
                break;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException(
                    $"Conversation {conversation.Id} has metadata that is {ArchiveErrors.Describe(conversation.Metadata.ValueKind)}; metadata must be a JSON object.",
                    nameof(archived));
        }

        writer.WriteString("createdAt", conversation.CreatedAt.UtcDateTime);
        writer.WriteString("updatedAt", conversation.UpdatedAt.UtcDateTime);
        writer.WriteBoolean("archived", conversation.Archived);
        writer.WriteString("activeMessageId", conversation.ActiveMessageId);
        writer.WriteString("contentHash", archived.ContentHash);
        writer.WriteStartArray("messages");
    }

    private static void WriteMessage(Utf8JsonWriter writer, ConversationMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("id", message.Id);
        writer.WriteString("parentId", message.ParentId);
        writer.WriteString("role", message.Role);
        writer.WriteString("content", message.Content);
        writer.WriteString("modelKey", message.ModelKey);
        WriteCount(writer, "inputTokens", message.InputTokens);
        WriteCount(writer, "outputTokens", message.OutputTokens);
        writer.WriteString("status", MessageStatuses.Format(message.Status));
        writer.WriteString("createdAt", message.CreatedAt.UtcDateTime);
        writer.WritePropertyName("toolCalls");
        if (message.ToolCalls is { Count: > 0 } calls)
        {
            WriteToolCalls(writer, calls);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteString("toolCallId", message.ToolCallId);
        writer.WriteString("toolName", message.ToolName);
        writer.WritePropertyName("citations");
        if (message.Citations is { Count: > 0 } citations)
        {
            CitationsColumn.Write(writer, citations);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    /// <summary>The calls as <c>[{"id", "name", "arguments"}]</c>, the arguments the JSON object they are, as the HTTP API shows them.</summary>
    private static void WriteToolCalls(Utf8JsonWriter writer, IReadOnlyList<StoredToolCall> calls)
    {
        writer.WriteStartArray();
        foreach (var call in calls)
        {
            writer.WriteStartObject();
            writer.WriteString("id", call.Id);
            writer.WriteString("name", call.Name);
            writer.WritePropertyName("arguments");
            StoredToolCallArgumentsConverter.WriteArguments(writer, call.Arguments);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteCount(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } count)
        {
            writer.WriteNumber(name, count);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
