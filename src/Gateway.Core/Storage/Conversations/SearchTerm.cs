namespace Gateway.Core.Storage.Conversations;

/// <summary>One term of a parsed search: a word, a quoted phrase or a prefix.</summary>
/// <param name="Text">The words, as the user wrote them (a phrase may hold several).</param>
/// <param name="IsPrefix">Whether the last word matches as a prefix (<c>data*</c>).</param>
public sealed record SearchTerm(string Text, bool IsPrefix);
