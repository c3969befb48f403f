using System.Text;

namespace Gateway.Rag.Extraction.Internal;

/// <summary>Decodes a text file as UTF-8 (a byte order mark is dropped), refusing bytes that are not.</summary>
internal static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(ReadOnlyMemory<byte> content, string fileName)
    {
        var bytes = content.Span;
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }

        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw DocumentExtractionErrors.Corrupt(fileName, "it is not UTF-8 text.");
        }
    }
}
