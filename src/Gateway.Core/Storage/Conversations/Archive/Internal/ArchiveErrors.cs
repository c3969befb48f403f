using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Core.Storage.Conversations.Archive.Internal;

/// <summary>
/// The one shape of every import failure: <c>invalid_import</c> (HTTP 400) whose extensions carry the JSON
/// <c>path</c> of the problem and, for syntax errors and truncation, the 1-based <c>line</c> and the 0-based
/// <c>bytePosition</c> in the file.
/// </summary>
internal static class ArchiveErrors
{
    public static GatewayException Invalid(string path, string problem, long? line = null, long? bytePosition = null, Exception? innerException = null)
    {
        var extensions = new Dictionary<string, object?> { ["path"] = path };
        if (line is { } lineNumber)
        {
            extensions["line"] = lineNumber;
        }

        if (bytePosition is { } position)
        {
            extensions["bytePosition"] = position;
        }

        return new GatewayException(
            GatewayErrorKind.InvalidRequest,
            GatewayErrorCodes.InvalidImport,
            $"The import file is invalid at {path}: {problem}",
            extensions,
            innerException);
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    /// <summary>The reader's own sentence without its position suffix, which the extensions carry instead.</summary>
    public static string SyntaxProblem(JsonException exception)
    {
        var message = exception.Message;
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return "malformed JSON: " + (suffix > 0 ? message[..suffix] : message);
    }
}
