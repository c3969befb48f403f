namespace Gateway.Rag.Sandbox;

/// <summary>
/// A file of a sandbox root, opened for reading by <see cref="FileSandbox.OpenFileAsync"/>. <see cref="Content"/>
/// reads exactly <see cref="Length"/> bytes, the length the opened file had, even if it grows meanwhile. Dispose
/// it (or its <see cref="Content"/>) to close the file.
/// </summary>
public sealed class SandboxFile : IAsyncDisposable, IDisposable
{
    internal SandboxFile(SandboxEntry entry, Stream content, bool isText, string contentType)
    {
        Entry = entry;
        Content = content;
        IsText = isText;
        ContentType = contentType;
    }

    /// <summary>The file's name, path, length and modification time.</summary>
    public SandboxEntry Entry { get; }

    /// <summary>The file's length in bytes, as opened.</summary>
    public long Length => Entry.Size ?? 0;

    /// <summary>A forward-only stream of the file's bytes.</summary>
    public Stream Content { get; }

    /// <summary>
    /// Whether the file reads as text: its first 8 KiB hold no NUL byte and are valid UTF-8, or it starts
    /// with a UTF-8 or UTF-16 byte order mark. An empty file is text.
    /// </summary>
    public bool IsText { get; }

    /// <summary>
    /// Its media type: from the extension (<c>.md</c> <c>text/markdown</c>, <c>.pdf</c> <c>application/pdf</c>, …),
    /// with a <c>charset</c> for text; a text type whose content is binary, or an unknown extension, is
    /// <c>text/plain; charset=utf-8</c> for text and <c>application/octet-stream</c> for binary.
    /// </summary>
    public string ContentType { get; }

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
