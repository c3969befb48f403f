namespace Gateway.Core.Chat;

/// <summary>The title a conversation gets when a chat turn creates it: the start of its first user message.</summary>
internal static class ConversationTitles
{
    public const int MaxLength = 80;

    public static string? FromFirstMessage(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end].TrimEnd();
        }

        return line.Length <= MaxLength ? line.ToString() : string.Concat(line[..(MaxLength - 1)].TrimEnd(), "…");
    }
}
