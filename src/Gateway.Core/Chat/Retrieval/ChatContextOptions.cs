namespace Gateway.Core.Chat.Retrieval;

/// <summary>
/// How a chat turn retrieves and how what it found is put in front of the model. Bound from the
/// <c>Gateway:ChatContext</c> configuration section, then the flat <c>RAG_CHAT_*</c> variables, which win;
/// validated at start-up. The context goes upstream as one system message just before the turn's last
/// user message; it is not stored, the citations are.
/// </summary>
public sealed class ChatContextOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway:ChatContext";

    /// <summary>The placeholder of <see cref="Template"/> that stands for the passages, each written with <see cref="PassageTemplate"/>.</summary>
    public const string PassagesPlaceholder = "{passages}";

    /// <summary>The placeholder of <see cref="Template"/> and <see cref="NothingFoundInstruction"/> that stands for the question (the last user message).</summary>
    public const string QuestionPlaceholder = "{question}";

    /// <summary>The placeholder of <see cref="PassageTemplate"/> that stands for the passage's number (1, 2, …), the one the model cites.</summary>
    public const string IndexPlaceholder = "{index}";

    /// <summary>The placeholder of <see cref="PassageTemplate"/> that stands for where the passage comes from: the document's name, then its heading path and page when known.</summary>
    public const string SourcePlaceholder = "{source}";

    /// <summary>The placeholder of <see cref="PassageTemplate"/> that stands for the document's name alone.</summary>
    public const string DocumentNamePlaceholder = "{documentName}";

    /// <summary>The placeholder of <see cref="PassageTemplate"/> that stands for the passage's text.</summary>
    public const string TextPlaceholder = "{text}";

    /// <summary>The default of <see cref="Template"/>.</summary>
    public const string DefaultTemplate =
        "Answer the question from the numbered sources below, passages of the user's own documents. "
        + "Cite each source you use by its number in square brackets, like [1]. "
        + "If the sources do not answer the question, say so instead of guessing.\n\n"
        + PassagesPlaceholder;

    /// <summary>The default of <see cref="PassageTemplate"/>.</summary>
    public const string DefaultPassageTemplate = "[" + IndexPlaceholder + "] " + SourcePlaceholder + "\n" + TextPlaceholder;

    /// <summary>The default of <see cref="NothingFoundInstruction"/>.</summary>
    public const string DefaultNothingFoundInstruction =
        "No passage of the user's documents is relevant to this question. "
        + "Say that their documents do not cover it; do not answer as if you were quoting them.";

    /// <summary>
    /// Whether a turn in a space that has collections (linked or its own) retrieves from them when the
    /// request does not say <c>"rag": false</c> (<c>RAG_CHAT_FROM_SPACE</c>; default <see langword="true"/>).
    /// </summary>
    public bool FromSpace { get; set; } = true;

    /// <summary>How many passages a turn retrieves when the request does not say (<c>RAG_CHAT_K</c>; 1 to 200, default 5).</summary>
    public int DefaultK { get; set; } = 5;

    /// <summary>
    /// The score a passage must reach when the request does not say (<c>Gateway:ChatContext:MinScore</c>;
    /// default none), on the scale of the retrieval's ranking.
    /// </summary>
    public double? MinScore { get; set; }

    /// <summary>
    /// The system message that carries the passages (<c>RAG_CHAT_TEMPLATE</c>): must hold
    /// <see cref="PassagesPlaceholder"/>, may hold <see cref="QuestionPlaceholder"/>. Default <see cref="DefaultTemplate"/>.
    /// </summary>
    public string Template { get; set; } = DefaultTemplate;

    /// <summary>
    /// How each passage is written into <see cref="PassagesPlaceholder"/>, passages separated by a blank line
    /// (<c>RAG_CHAT_PASSAGE_TEMPLATE</c>): must hold <see cref="TextPlaceholder"/>, may hold
    /// <see cref="IndexPlaceholder"/>, <see cref="SourcePlaceholder"/> and <see cref="DocumentNamePlaceholder"/>.
    /// Default <see cref="DefaultPassageTemplate"/>.
    /// </summary>
    public string PassageTemplate { get; set; } = DefaultPassageTemplate;

    /// <summary>
    /// The system message sent instead when retrieval ran and no passage reached the minimum score, so the
    /// model is told rather than fed noise (<c>RAG_CHAT_NOTHING_FOUND</c>; may hold <see cref="QuestionPlaceholder"/>).
    /// Default <see cref="DefaultNothingFoundInstruction"/>.
    /// </summary>
    public string NothingFoundInstruction { get; set; } = DefaultNothingFoundInstruction;
}
