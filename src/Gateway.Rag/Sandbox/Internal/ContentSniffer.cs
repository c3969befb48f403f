namespace Gateway.Rag.Sandbox.Internal;

/// <summary>Tells text from binary by a file's first bytes, and gives its media type from its extension and that answer.</summary>
internal static class ContentSniffer
{
    /// <summary>How many leading bytes are looked at.</summary>
    public const int SampleBytes = 8192;

    private const string Utf8 = "utf-8";
    private const string OctetStream = "application/octet-stream";

    private static readonly Dictionary<string, (string Type, bool Textual)> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = ("text/plain", true),
        [".log"] = ("text/plain", true),
        [".md"] = ("text/markdown", true),
        [".markdown"] = ("text/markdown", true),
        [".csv"] = ("text/csv", true),
        [".tsv"] = ("text/tab-separated-values", true),
        [".html"] = ("text/html", true),
        [".htm"] = ("text/html", true),
        [".css"] = ("text/css", true),
        [".js"] = ("text/javascript", true),
        [".json"] = ("application/json", true),
        [".jsonl"] = ("application/jsonl", true),
        [".ndjson"] = ("application/x-ndjson", true),
        [".xml"] = ("application/xml", true),
        [".yaml"] = ("application/yaml", true),
        [".yml"] = ("application/yaml", true),
        [".svg"] = ("image/svg+xml", true),
        [".pdf"] = ("application/pdf", false),
        [".png"] = ("image/png", false),
        [".jpg"] = ("image/jpeg", false),
        [".jpeg"] = ("image/jpeg", false),
        [".gif"] = ("image/gif", false),
        [".webp"] = ("image/webp", false),
        [".zip"] = ("application/zip", false),
        [".gz"] = ("application/gzip", false),
        [".docx"] = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", false),
        [".xlsx"] = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false),
        [".pptx"] = ("application/vnd.openxmlformats-officedocument.presentationml.presentation", false),
    };

    /// <summary>The charset of <paramref name="sample"/> when it reads as text, else <see langword="null"/>.</summary>
    /// <param name="sample">The file's first bytes, at most <see cref="SampleBytes"/>.</param>
    /// <param name="whole">Whether the sample is the whole file (else its last character may be cut).</param>
    public static string? TextCharset(ReadOnlySpan<byte> sample, bool whole)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Utf8;
        }

        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return "utf-16le";
        }

        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return "utf-16be";
        }

        if (sample.Contains((byte)0))
        {
            return null;
        }

        if (System.Text.Unicode.Utf8.IsValid(sample))
        {
            return Utf8;
        }

        // A sample cut inside a multi-byte character is still text when the cut one is all that is wrong.
        for (var cut = 1; !whole && cut <= 3 && cut < sample.Length; cut++)
        {
            if (System.Text.Unicode.Utf8.IsValid(sample[..^cut]))
            {
                return Utf8;
            }
        }

        return null;
    }

    /// <summary>The media type of a file named <paramref name="name"/> whose content reads as text in <paramref name="charset"/>, or as binary when it is <see langword="null"/>.</summary>
    public static string ContentType(string name, string? charset)
    {
        if (Types.TryGetValue(Path.GetExtension(name), out var known))
        {
            if (!known.Textual)
            {
                return known.Type;
            }

            if (charset is not null)
            {
                return $"{known.Type}; charset={charset}";
            }
        }

        return charset is null ? OctetStream : $"text/plain; charset={charset}";
    }
}
