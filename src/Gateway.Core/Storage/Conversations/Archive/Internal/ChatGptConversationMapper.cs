using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Core.Storage.Conversations.Archive.Internal;

/// <summary>
/// Maps one conversation of a ChatGPT <c>conversations.json</c> export (an element of its root array) to an
/// <see cref="ArchivedConversation"/> with new ids. The rules are documented in
/// <c>docs/conversation-archive-format.md</c>; in short: a node is kept when it has a message that is not
/// hidden and has visible text, skipped nodes hand their children to their nearest kept ancestor, and
/// messages come out parents first in time order.
/// </summary>
internal static class ChatGptConversationMapper
{
    public static ArchivedConversation Map(ReadOnlyMemory<byte> json, string path, TimeProvider time)
    {
        using var document = GatewayArchiveParser.ParseDocument(json, path);
        return Map(document.RootElement, path, time);
    }

    private static ArchivedConversation Map(JsonElement root, string path, TimeProvider time)
    {
        ArchiveElements.RequireKind(root, JsonValueKind.Object, path);
        var title = ArchiveElements.OptionalString(root, "title", path);
        var createTime = ArchiveElements.OptionalUnixSeconds(root, "create_time", path);
        var updateTime = ArchiveElements.OptionalUnixSeconds(root, "update_time", path);
        var sourceId = ArchiveElements.OptionalString(root, "conversation_id", path) ?? ArchiveElements.OptionalString(root, "id", path);
        var archived = ArchiveElements.OptionalBoolean(root, "is_archived", path) ?? false;
        var currentNode = ArchiveElements.OptionalString(root, "current_node", path);
        var mappingPath = ArchivePath.Property(path, "mapping");
        var mapping = ArchiveElements.Required(root, "mapping", path, JsonValueKind.Object);

        var nodes = new List<Node>();
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in mapping.EnumerateObject())
        {
            var nodePath = ArchivePath.Property(mappingPath, property.Name);
            if (!byKey.TryAdd(property.Name, nodes.Count))
            {
                throw ArchiveErrors.Invalid(nodePath, "the node id appears twice in the mapping.");
            }

            nodes.Add(ReadNode(property.Value, nodePath, nodes.Count));
        }

        foreach (var node in nodes)
        {
            if (node.ParentKey is { } parentKey)
            {
                node.Parent = byKey.TryGetValue(parentKey, out var parent)
                    ? parent
                    : throw ArchiveErrors.Invalid(ArchivePath.Property(node.Path, "parent"), $"'{ArchiveElements.Truncate(parentKey)}' is not a node of this conversation's mapping.");
            }
        }

        var baseTime = createTime ?? EarliestMessageTime(nodes) ?? time.GetUtcNow();
        ResolveAncestry(nodes, baseTime);

        var kept = nodes.Where(n => n.Kept).ToList();

        // Effective times never decrease from parent to child, and depth breaks ties, so this order is both
        // chronological and parents-first.
        kept.Sort(static (a, b) =>
        {
            var byTime = a.Effective.CompareTo(b.Effective);
            if (byTime != 0)
            {
                return byTime;
            }

            var byDepth = a.Depth.CompareTo(b.Depth);
            return byDepth != 0 ? byDepth : a.Order.CompareTo(b.Order);
        });

        var createdAt = createTime ?? baseTime;
        var conversationId = SortableId.Create(createdAt);
        var messages = new List<ConversationMessage>(kept.Count);
        var latest = createdAt;
        foreach (var node in kept)
        {
            var parent = node.KeptAncestor >= 0 ? nodes[node.KeptAncestor] : null;
            node.NewId = CreateIdAfter(node.Effective, parent?.NewId);
            var messageTime = node.CreateTime ?? node.Effective;
            latest = messageTime > latest ? messageTime : latest;
            messages.Add(new ConversationMessage(
                node.NewId, conversationId, parent?.NewId, node.Role!, node.Text!, node.ModelKey, null, null, node.Status, messageTime));
        }

        string? activeMessageId;
        if (currentNode is null)
        {
            activeMessageId = messages.Count > 0 ? messages[^1].Id : null;
        }
        else
        {
            var current = byKey.TryGetValue(currentNode, out var index)
                ? nodes[index]
                : throw ArchiveErrors.Invalid(ArchivePath.Property(path, "current_node"), $"'{ArchiveElements.Truncate(currentNode)}' is not a node of this conversation's mapping.");
            activeMessageId = current.Kept ? current.NewId : current.KeptAncestor >= 0 ? nodes[current.KeptAncestor].NewId : null;
        }

        var conversation = new Conversation(
            conversationId, title, null, SourceMetadata(sourceId), createdAt, updateTime ?? latest, archived, messages.Count, activeMessageId);
        return new ArchivedConversation(conversation, messages, ContentHash(sourceId, title, messages));
    }

    private static Node ReadNode(JsonElement element, string path, int order)
    {
        ArchiveElements.RequireKind(element, JsonValueKind.Object, path);
        var node = new Node(path, order) { ParentKey = ArchiveElements.OptionalString(element, "parent", path) };
        if (ArchiveElements.Optional(element, "message", path, JsonValueKind.Object) is not { } message)
        {
            return node;
        }

        var messagePath = ArchivePath.Property(path, "message");
        var authorPath = ArchivePath.Property(messagePath, "author");
        var author = ArchiveElements.Required(message, "author", messagePath, JsonValueKind.Object);
        var role = ArchiveElements.RequireString(author, "role", authorPath);
        if (!MessageRoles.IsKnown(role))
        {
            throw ArchiveErrors.Invalid(ArchivePath.Property(authorPath, "role"), $"'{ArchiveElements.Truncate(role)}' is not a role; expected {MessageRoles.List}.");
        }

        var metadataPath = ArchivePath.Property(messagePath, "metadata");
        var metadata = ArchiveElements.Optional(message, "metadata", messagePath, JsonValueKind.Object);
        var hidden = metadata is { } hiddenOwner
            && ArchiveElements.OptionalBoolean(hiddenOwner, "is_visually_hidden_from_conversation", metadataPath) == true;

        node.Role = role;
        node.CreateTime = ArchiveElements.OptionalUnixSeconds(message, "create_time", messagePath);
        node.Text = ExtractText(message, messagePath);
        node.Kept = !hidden && !string.IsNullOrWhiteSpace(node.Text);
        node.Status = ArchiveElements.OptionalString(message, "status", messagePath) switch
        {
            "in_progress" or "finished_partial_completion" => MessageStatus.Incomplete,
            _ => MessageStatus.Complete,
        };
        node.ModelKey = role == "assistant" && metadata is { } modelOwner ? ArchiveElements.OptionalString(modelOwner, "model_slug", metadataPath) : null;
        return node;
    }

    /// <summary>
    /// Every piece of text a person could see: string parts, the <c>text</c> of object parts (voice
    /// transcriptions) and the content's own <c>text</c> (code, execution output, quotes), joined by newlines.
    /// Images, browsing results and reasoning summaries carry no text of their own and add nothing.
    /// </summary>
    private static string ExtractText(JsonElement message, string messagePath)
    {
        if (ArchiveElements.Optional(message, "content", messagePath, JsonValueKind.Object) is not { } content)
        {
            return string.Empty;
        }

        var contentPath = ArchivePath.Property(messagePath, "content");
        var pieces = new List<string>();
        if (ArchiveElements.Optional(content, "parts", contentPath, JsonValueKind.Array) is { } parts)
        {
            var partsPath = ArchivePath.Property(contentPath, "parts");
            var index = 0;
            foreach (var part in parts.EnumerateArray())
            {
                var partPath = ArchivePath.Index(partsPath, index++);
                var text = part.ValueKind switch
                {
                    JsonValueKind.String => ArchiveElements.Text(part, partPath),
                    JsonValueKind.Object when ArchiveElements.Optional(part, "text") is { ValueKind: JsonValueKind.String } inner =>
                        ArchiveElements.Text(inner, ArchivePath.Property(partPath, "text")),
                    _ => null,
                };
                AddPiece(pieces, text);
            }
        }

        if (ArchiveElements.Optional(content, "text") is { ValueKind: JsonValueKind.String } own)
        {
            AddPiece(pieces, ArchiveElements.Text(own, ArchivePath.Property(contentPath, "text")));
        }

        return pieces.Count == 1 ? pieces[0] : string.Join('\n', pieces);
    }

    private static void AddPiece(List<string> pieces, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            pieces.Add(text);
        }
    }

    private static DateTimeOffset? EarliestMessageTime(List<Node> nodes)
    {
        DateTimeOffset? earliest = null;
        foreach (var node in nodes)
        {
            if (node.CreateTime is { } time && (earliest is null || time < earliest))
            {
                earliest = time;
            }
        }

        return earliest;
    }

    /// <summary>Depth, effective time and nearest kept ancestor of every node, refusing a parent chain that loops.</summary>
    private static void ResolveAncestry(List<Node> nodes, DateTimeOffset baseTime)
    {
        var chain = new List<Node>();
        foreach (var start in nodes)
        {
            var current = start;
            while (current is { Resolved: false })
            {
                if (current.Visiting)
                {
                    throw ArchiveErrors.Invalid(ArchivePath.Property(current.Path, "parent"), "the chain of parents loops back to this node.");
                }

                current.Visiting = true;
                chain.Add(current);
                current = current.Parent >= 0 ? nodes[current.Parent] : null;
            }

            for (var i = chain.Count - 1; i >= 0; i--)
            {
                var node = chain[i];
                if (node.Parent < 0)
                {
                    node.Effective = node.CreateTime ?? baseTime;
                    node.KeptAncestor = -1;
                }
                else
                {
                    var parent = nodes[node.Parent];
                    node.Depth = parent.Depth + 1;
                    node.Effective = node.CreateTime is { } own && own > parent.Effective ? own : parent.Effective;
                    node.KeptAncestor = parent.Kept ? node.Parent : parent.KeptAncestor;
                }

                node.Resolved = true;
            }

            chain.Clear();
        }
    }

    /// <summary>
    /// A new id at <paramref name="time"/>, but at least a millisecond after the parent's id, so that a
    /// message's id always sorts after its parent's even when the export gives both the same time.
    /// </summary>
    private static string CreateIdAfter(DateTimeOffset time, string? parentId)
    {
        if (parentId is not null)
        {
            Span<byte> bytes = stackalloc byte[16];
            Guid.ParseExact(parentId, "D").TryWriteBytes(bytes, bigEndian: true, out _);
            var parentMilliseconds = BinaryPrimitives.ReadInt64BigEndian(bytes) >>> 16;
            var earliest = DateTimeOffset.FromUnixTimeMilliseconds(parentMilliseconds + 1);
            time = time > earliest ? time : earliest;
        }

        return SortableId.Create(time);
    }

    private static JsonElement SourceMetadata(string? sourceId)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("source", ConversationArchiveFormat.ChatGptSource);
            if (sourceId is not null)
            {
                writer.WriteString("sourceId", sourceId);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// SHA-256 (lowercase hex) over the source, the source's conversation id, the title, then each message's
    /// role and content in output order; every string is UTF-8 behind a 4-byte big-endian length (-1 for
    /// absent), so no two different conversations share an encoding. New ids and timestamps are left out on
    /// purpose: they differ on every import of the same file.
    /// </summary>
    private static string ContentHash(string? sourceId, string? title, List<ConversationMessage> messages)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendField(hash, ConversationArchiveFormat.ChatGptSource);
        AppendField(hash, sourceId);
        AppendField(hash, title);
        foreach (var message in messages)
        {
            AppendField(hash, message.Role);
            AppendField(hash, message.Content);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendField(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    private sealed class Node(string path, int order)
    {
        public string Path { get; } = path;

        public int Order { get; } = order;

        public string? ParentKey { get; init; }

        public int Parent { get; set; } = -1;

        public string? Role { get; set; }

        public string? Text { get; set; }

        public string? ModelKey { get; set; }

        public MessageStatus Status { get; set; }

        public DateTimeOffset? CreateTime { get; set; }

        public bool Kept { get; set; }

        public bool Visiting { get; set; }

        public bool Resolved { get; set; }

        public int Depth { get; set; }

        public DateTimeOffset Effective { get; set; }

        public int KeptAncestor { get; set; } = -1;

        public string? NewId { get; set; }
    }
}
