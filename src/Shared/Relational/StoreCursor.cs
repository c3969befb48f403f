using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Relational;

/// <summary>
/// The opaque <c>nextCursor</c> values of the listings: base64url of a kind tag and the last key of the
/// page, so a client cannot mistake one listing's cursor for another's and cannot build one by hand
/// that the store would read as SQL-relevant text. Shared by every backend, so a cursor means the same
/// everywhere.
/// </summary>
internal static class StoreCursor
{
    private const string ConversationTag = "c1:";
    private const string MessageTag = "m1:";
    private const string ProfileTag = "p1:";
    private const string SpaceTag = "s1:";
    private const string CollectionTag = "r1:";
    private const string DocumentTag = "d1:";
    private const string JobTag = "j1:";
    private const string SourceTag = "f1:";

    /// <summary>The cursor after the conversation with id <paramref name="conversationId"/>.</summary>
    public static string ForConversation(string conversationId) => Encode(ConversationTag + conversationId);

    /// <summary>The cursor after the message stored at <paramref name="seq"/>.</summary>
    public static string ForMessage(long seq) => Encode(MessageTag + seq.ToString(CultureInfo.InvariantCulture));

    /// <summary>The cursor after the model profile with id <paramref name="profileId"/>.</summary>
    public static string ForProfile(string profileId) => Encode(ProfileTag + profileId);

    /// <summary>The cursor after the space with id <paramref name="spaceId"/>.</summary>
    public static string ForSpace(string spaceId) => Encode(SpaceTag + spaceId);

    /// <summary>The cursor after the RAG collection with id <paramref name="collectionId"/>.</summary>
    public static string ForCollection(string collectionId) => Encode(CollectionTag + collectionId);

    /// <summary>The cursor after the RAG document with id <paramref name="documentId"/>.</summary>
    public static string ForDocument(string documentId) => Encode(DocumentTag + documentId);

    /// <summary>The cursor after the job with id <paramref name="jobId"/>.</summary>
    public static string ForJob(string jobId) => Encode(JobTag + jobId);

    /// <summary>The cursor after the RAG folder source with id <paramref name="sourceId"/>.</summary>
    public static string ForSource(string sourceId) => Encode(SourceTag + sourceId);

    /// <summary>The conversation id a conversation cursor holds.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidCursor"/> for anything else.</exception>
    public static string ReadConversation(string cursor) => ReadId(cursor, ConversationTag);

    /// <summary>The profile id a profile cursor holds.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidCursor"/> for anything else.</exception>
    public static string ReadProfile(string cursor) => ReadId(cursor, ProfileTag);

    /// <summary>The space id a space cursor holds.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidCursor"/> for anything else.</exception>
    public static string ReadSpace(string cursor) => ReadId(cursor, SpaceTag);

    /// <summary>The collection id a collection cursor holds.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidCursor"/> for anything else.</exception>
    public static string ReadCollection(string cursor) => ReadId(cursor, CollectionTag);

    /// <summary>The document id a document cursor holds.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidCursor"/> for anything else.</exception>
    public static string ReadDocument(string cursor) => ReadId(cursor, DocumentTag);

    /// <summary>The job id a job cursor holds.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidCursor"/> for anything else.</exception>
    public static string ReadJob(string cursor) => ReadId(cursor, JobTag);

    /// <summary>The source id a source cursor holds.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidCursor"/> for anything else.</exception>
    public static string ReadSource(string cursor) => ReadId(cursor, SourceTag);

    /// <summary>The message seq a message cursor holds.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidCursor"/> for anything else.</exception>
    public static long ReadMessage(string cursor)
    {
        var text = Decode(cursor);
        if (text is null
            || !text.StartsWith(MessageTag, StringComparison.Ordinal)
            || !long.TryParse(text.AsSpan(MessageTag.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            throw Invalid();
        }

        return seq;
    }

    private static string ReadId(string cursor, string tag)
    {
        var text = Decode(cursor);
        if (text is null || !text.StartsWith(tag, StringComparison.Ordinal) || !SortableId.IsWellFormed(text[tag.Length..]))
        {
            throw Invalid();
        }

        return text[tag.Length..];
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string? Decode(string cursor)
    {
        if (cursor.Length is 0 or > 128 || !Base64Url.IsValid(cursor))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (Exception error) when (error is FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static GatewayException Invalid() => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.InvalidCursor,
        "cursor: not a cursor this listing handed out; pass back the nextCursor of the previous page, or none for the first page.",
        new Dictionary<string, object?> { ["field"] = "cursor" });
}
