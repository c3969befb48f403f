namespace Gateway.Core.Storage.Rag;

/// <summary>The type of a <see cref="FilterValue"/>.</summary>
public enum FilterValueKind
{
    /// <summary>A JSON string compared for ordinal equality.</summary>
    String,

    /// <summary>A JSON number compared by value.</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>An ISO-8601 date in a range; metadata strings that read as dates are compared as instants.</summary>
    Date,
}
