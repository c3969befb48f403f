namespace Gateway.Core.Storage.Rag;

/// <summary>
/// What a filter clause looks at: a metadata field, by a dotted path into nested objects
/// (<c>author.name</c>), or, for the reserved name <c>$documentId</c>, the id of the chunk's document.
/// </summary>
/// <param name="Path">The metadata path, or <see cref="DocumentIdName"/>.</param>
public sealed record FilterField(string Path)
{
    /// <summary>The reserved field name that stands for the chunk's document id.</summary>
    public const string DocumentIdName = "$documentId";

    /// <summary>Whether the field is the chunk's document id rather than metadata.</summary>
    public bool IsDocumentId => Path == DocumentIdName;

    /// <summary>The object keys along <see cref="Path"/>, outermost first.</summary>
    public IReadOnlyList<string> Segments => Path.Split('.');
}
