using System.Runtime.CompilerServices;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations.Archive.Internal;

namespace Gateway.Core.Storage.Conversations.Archive;

/// <summary>
/// Reads conversations to import from a gateway export (<see cref="ConversationArchiveWriter"/>) or from a
/// ChatGPT <c>conversations.json</c>, one conversation at a time: memory stays bounded by the largest single
/// conversation, not the file.
/// </summary>
public static class ConversationArchiveReader
{
    private const string ConversationsPath = "$.conversations";

    /// <summary>
    /// Reads the conversations in <paramref name="source"/>. The format is told by the first token: an object
    /// is a gateway export (<c>"format": "gateway.conversations"</c>), an array is a ChatGPT export.
    /// </summary>
    /// <param name="source">The file; read forward once, never seeked, so the sequence can be enumerated once.</param>
    /// <param name="time">The clock for the few timestamps a ChatGPT export leaves out.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>
    /// The conversations in file order. Each is validated as it is reached, so a problem in a later
    /// conversation is thrown only after the earlier ones were yielded: a consumer that imports in one
    /// transaction rolls back. Problems at the end of the file (trailing data, a missing <c>format</c>) are
    /// thrown after the last conversation, before the sequence completes.
    /// </returns>
    /// <exception cref="GatewayException">
    /// <see cref="GatewayErrorCodes.InvalidImport"/> for a malformed, truncated or unsupported file or an invalid
    /// conversation; its <see cref="GatewayException.Extensions"/> hold the JSON <c>path</c> of the problem
    /// (<c>$.conversations[3].messages[2].role</c>) and, for syntax errors and truncation, <c>line</c> and <c>bytePosition</c>.
    /// </exception>
    public static IAsyncEnumerable<ArchivedConversation> ReadAsync(Stream source, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(time);
        return ReadAsync(source, time, ArchiveJsonCursor.DefaultMaxValueBytes, cancellationToken);
    }

    /// <summary>As the public overload, with the size limit of one conversation open to tests.</summary>
    internal static async IAsyncEnumerable<ArchivedConversation> ReadAsync(
        Stream source, TimeProvider time, int maxConversationBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = new ArchiveJsonCursor(source, maxConversationBytes);
        await using (cursor.ConfigureAwait(false))
        {
            await cursor.ReadTokenAsync(ArchivePath.Root, cancellationToken).ConfigureAwait(false);
            var conversations = cursor.TokenType switch
            {
                JsonTokenType.StartObject => ReadGatewayExportAsync(cursor, cancellationToken),
                JsonTokenType.StartArray => ReadChatGptExportAsync(cursor, time, cancellationToken),
                _ => throw ArchiveErrors.Invalid(
                    ArchivePath.Root,
                    $"expected a gateway export (an object with \"format\": \"{ConversationArchiveFormat.Name}\") or a ChatGPT conversations.json (an array), found {ArchiveErrors.Describe(cursor.TokenType)}."),
            };

            await foreach (var conversation in conversations.ConfigureAwait(false))
            {
                yield return conversation;
            }

            // The root value is complete; anything but whitespace after it is an error (the cursor throws on
            // most of it, this catches the rest).
            if (await cursor.ReadTokenAsync(ArchivePath.Root, cancellationToken).ConfigureAwait(false))
            {
                throw ArchiveErrors.Invalid(ArchivePath.Root, "unexpected data after the end of the JSON document.");
            }
        }
    }

    private static async IAsyncEnumerable<ArchivedConversation> ReadGatewayExportAsync(ArchiveJsonCursor cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? format = null;
        long? version = null;
        var sawConversations = false;
        while (await cursor.ReadTokenAsync(ArchivePath.Root, cancellationToken).ConfigureAwait(false) && cursor.TokenType == JsonTokenType.PropertyName)
        {
            var name = cursor.StringValue!;
            var memberPath = ArchivePath.Property(ArchivePath.Root, name);
            switch (name)
            {
                case "format":
                    await cursor.ReadTokenAsync(memberPath, cancellationToken).ConfigureAwait(false);
                    format = cursor.TokenType == JsonTokenType.String ? cursor.StringValue! : throw ExpectedScalar(cursor, memberPath, "a string");
                    if (format != ConversationArchiveFormat.Name)
                    {
                        throw ArchiveErrors.Invalid(
                            memberPath,
                            $"unknown format '{ArchiveElements.Truncate(format)}'; expected '{ConversationArchiveFormat.Name}' or a ChatGPT conversations.json (a root array).");
                    }

                    break;
                case "formatVersion":
                    await cursor.ReadTokenAsync(memberPath, cancellationToken).ConfigureAwait(false);
                    version = cursor.TokenType == JsonTokenType.Number && cursor.IntegerValue is { } integer
                        ? integer
                        : throw ExpectedScalar(cursor, memberPath, "an integer");
                    if (version > ConversationArchiveFormat.CurrentVersion)
                    {
                        throw ArchiveErrors.Invalid(
                            memberPath,
                            $"formatVersion {version} is newer than this gateway reads; supported versions: 1 to {ConversationArchiveFormat.CurrentVersion}. Upgrade the gateway that imports, or export from a gateway of the same version.");
                    }

                    if (version < 1)
                    {
                        throw ArchiveErrors.Invalid(memberPath, $"formatVersion {version} does not exist; supported versions: 1 to {ConversationArchiveFormat.CurrentVersion}.");
                    }

                    break;
                case "conversations":
                    await cursor.ReadTokenAsync(memberPath, cancellationToken).ConfigureAwait(false);
                    if (cursor.TokenType != JsonTokenType.StartArray)
                    {
                        throw ArchiveErrors.Invalid(memberPath, $"expected an array, found {ArchiveErrors.Describe(cursor.TokenType)}.");
                    }

                    sawConversations = true;
                    for (var index = 0; ; index++)
                    {
                        var path = ArchivePath.Index(ConversationsPath, index);
                        if (await cursor.ReadValueAsync(path, cancellationToken).ConfigureAwait(false) is not { } element)
                        {
                            break;
                        }

                        yield return GatewayArchiveParser.Parse(element, path);
                    }

                    break;
                default:
                    // Members this version does not know are skipped, so a later minor addition still imports.
                    await cursor.SkipValueAsync(memberPath, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        // Writers put format and formatVersion first (ours does), which rejects a foreign file before any
        // conversation is read. A file whose members were reordered (a tool that sorts keys) is checked here,
        // still before the sequence completes and so before an import commits.
        if (format is null)
        {
            throw ArchiveErrors.Invalid(
                ArchivePath.Property(ArchivePath.Root, "format"),
                $"is required: a gateway export has \"format\": \"{ConversationArchiveFormat.Name}\"; a ChatGPT conversations.json is an array.");
        }

        if (version is null)
        {
            throw ArchiveErrors.Invalid(ArchivePath.Property(ArchivePath.Root, "formatVersion"), $"is required (supported versions: 1 to {ConversationArchiveFormat.CurrentVersion}).");
        }

        if (!sawConversations)
        {
            throw ArchiveErrors.Invalid(ConversationsPath, "is required (an array of conversations, possibly empty).");
        }
    }

    private static async IAsyncEnumerable<ArchivedConversation> ReadChatGptExportAsync(ArchiveJsonCursor cursor, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var index = 0; ; index++)
        {
            var path = ArchivePath.Index(ArchivePath.Root, index);
            if (await cursor.ReadValueAsync(path, cancellationToken).ConfigureAwait(false) is not { } element)
            {
                yield break;
            }

            yield return ChatGptConversationMapper.Map(element, path, time);
        }
    }

    private static GatewayException ExpectedScalar(ArchiveJsonCursor cursor, string path, string expected) =>
        ArchiveErrors.Invalid(path, $"expected {expected}, found {(cursor.NumberText is { } number ? number : ArchiveErrors.Describe(cursor.TokenType))}.");
}
