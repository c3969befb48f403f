namespace Gateway.Core.Storage.Rag;

/// <summary>
/// What a filter clause looks at: a metadata field, by a dotted path into nested objects
/// (<c>author.name</c>), or, for the reserved name <c>$documentId</c>, the id of the chunk's document.
/// Two fields are equal when their paths are.
/// </summary>
/// <param name="Path">The metadata path, or <see cref="DocumentIdName"/>.</param>
public sealed record FilterField(string Path)
{
    /// <summary>The reserved field name that stands for the chunk's document id.</summary>
    public const string DocumentIdName = "$documentId";

    // Split once: the reference evaluator walks the segments once per document on every filtered search.
    private readonly string[] _segments = Split(Path);

    /// <summary>The metadata path, or <see cref="DocumentIdName"/>.</summary>
    public string Path
    {
        get;
        init
        {
            field = value;
            _segments = Split(value);
        }
    } = Path;

    /// <summary>Whether the field is the chunk's document id rather than metadata.</summary>
    public bool IsDocumentId => Path == DocumentIdName;

    /// <summary>The object keys along <see cref="Path"/>, outermost first.</summary>
    public IReadOnlyList<string> Segments => _segments.AsReadOnly();

    /// <summary>The object keys along <see cref="Path"/>, for the evaluator to walk without an enumerator.</summary>
    internal ReadOnlySpan<string> SegmentSpan => _segments;

    /// <summary>Whether <paramref name="other"/> has the same path.</summary>
    public bool Equals(FilterField? other) => other is not null && string.Equals(Path, other.Path, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Path);

    private static string[] Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Split('.');
    }
}
