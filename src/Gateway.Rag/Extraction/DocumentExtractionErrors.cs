using Gateway.Core.Errors;

namespace Gateway.Rag.Extraction;

/// <summary>The errors of reading a document file, each naming the document and what to do.</summary>
internal static class DocumentExtractionErrors
{
    public static GatewayException UnsupportedType(string fileName, IReadOnlyList<string> supported) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.UnsupportedDocumentType,
        $"{fileName}: documents of this type cannot be ingested; the supported types are {string.Join(", ", supported)}.",
        new Dictionary<string, object?> { ["document"] = fileName, ["supported"] = supported });

    /// <summary>The 413 for a file over the byte limit; <paramref name="bytes"/> is its size where the stream tells it.</summary>
    public static GatewayException TooLarge(string fileName, long? bytes, int limit) => new(
        GatewayErrorKind.PayloadTooLarge,
        GatewayErrorCodes.PayloadTooLarge,
        $"{fileName}: {(bytes is { } size ? $"{size} bytes are" : "the document is")} more than the limit of {limit} bytes (RAG_MAX_DOCUMENT_BYTES); split the document or raise the limit.",
        new Dictionary<string, object?> { ["document"] = fileName, ["limitBytes"] = limit, ["bytes"] = bytes });

    public static GatewayException TextTooLong(string fileName, int length, int limit) => new(
        GatewayErrorKind.PayloadTooLarge,
        GatewayErrorCodes.PayloadTooLarge,
        $"{fileName}: its text is {length} characters, more than the limit of {limit} (RAG_MAX_DOCUMENT_CHARS); split the document or raise the limit.",
        new Dictionary<string, object?> { ["document"] = fileName, ["limit"] = limit, ["length"] = length });

    public static GatewayException Corrupt(string fileName, string problem) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.DocumentCorrupt,
        $"{fileName}: the document cannot be read: {problem}",
        new Dictionary<string, object?> { ["document"] = fileName });

    public static GatewayException Encrypted(string fileName) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.DocumentEncrypted,
        $"{fileName}: the PDF is encrypted and opens only with a password; save it without encryption and ingest it again.",
        new Dictionary<string, object?> { ["document"] = fileName });

    public static GatewayException NoText(string fileName, string why) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.DocumentHasNoText,
        $"{fileName}: the document holds no text to index{why}",
        new Dictionary<string, object?> { ["document"] = fileName });
}
