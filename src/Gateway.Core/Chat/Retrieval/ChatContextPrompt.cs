using System.Text;
using Gateway.Core.Storage.Conversations;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat.Retrieval;

/// <summary>
/// Writes what a retrieval found as the system message the model gets with <see cref="ChatContextOptions"/>'
/// templates, puts it just before the turn's last user message, and numbers the citations as the message does.
/// </summary>
internal static class ChatContextPrompt
{
    /// <summary>The system message for <paramref name="context"/>: the passages in <see cref="ChatContextOptions.Template"/>, or the nothing-found instruction when there are none.</summary>
    public static string Render(ChatContext context, string question, ChatContextOptions options)
    {
        if (context.Passages.Count == 0)
        {
            return options.NothingFoundInstruction.Replace(ChatContextOptions.QuestionPlaceholder, question, StringComparison.Ordinal);
        }

        var passages = new StringBuilder();
        for (var i = 0; i < context.Passages.Count; i++)
        {
            var passage = context.Passages[i];
            if (i > 0)
            {
                passages.Append("\n\n");
            }

            passages.Append(new StringBuilder(options.PassageTemplate)
                .Replace(ChatContextOptions.IndexPlaceholder, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Replace(ChatContextOptions.SourcePlaceholder, SourceOf(passage))
                .Replace(ChatContextOptions.DocumentNamePlaceholder, passage.DocumentName)
                .Replace(ChatContextOptions.TextPlaceholder, passage.Text));
        }

        // The question goes in first: a passage that happens to contain "{question}" stays as it is.
        return options.Template
            .Replace(ChatContextOptions.QuestionPlaceholder, question, StringComparison.Ordinal)
            .Replace(ChatContextOptions.PassagesPlaceholder, passages.ToString(), StringComparison.Ordinal);
    }

    /// <summary><paramref name="messages"/> with <paramref name="context"/> as a system message just before the last user message.</summary>
    public static List<ChatMessage> Inject(IReadOnlyList<ChatMessage> messages, string context)
    {
        var result = new List<ChatMessage>(messages.Count + 1);
        result.AddRange(messages);
        var question = result.FindLastIndex(message => message.Role == ChatRole.User);
        result.Insert(question < 0 ? result.Count : question, new ChatMessage(ChatRole.System, context));
        return result;
    }

    /// <summary>The citations of <paramref name="context"/>'s passages, numbered 1, 2, … as <see cref="Render"/> numbers them.</summary>
    public static List<MessageCitation> Citations(ChatContext context) =>
        [.. context.Passages.Select((passage, i) => new MessageCitation(
            i + 1, passage.ChunkId, passage.DocumentId, passage.DocumentName, passage.CollectionId, passage.Citation))];

    private static string SourceOf(ChatContextPassage passage)
    {
        var source = passage.Citation.HeadingPath is { Length: > 0 } headings ? $"{passage.DocumentName} > {headings}" : passage.DocumentName;
        source = passage.Citation.JsonPath is { Length: > 0 } jsonPath ? $"{source} {jsonPath}" : source;
        return passage.Citation.Page is { } page ? $"{source}, page {page}" : source;
    }
}
