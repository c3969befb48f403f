namespace Gateway.Rag.Chunking.Internal;

/// <summary>How good a place between two tokens is to end a chunk; higher is better.</summary>
internal enum BreakStrength
{
    /// <summary>Inside a word (between two of its pieces).</summary>
    InsideWord,

    /// <summary>Between words.</summary>
    Word,

    /// <summary>After a sentence's closing punctuation.</summary>
    Sentence,

    /// <summary>At a line break.</summary>
    Line,

    /// <summary>At a blank line.</summary>
    Paragraph,
}
