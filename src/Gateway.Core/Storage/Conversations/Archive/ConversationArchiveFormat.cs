namespace Gateway.Core.Storage.Conversations.Archive;

/// <summary>
/// The names and versions of the gateway's conversation export format (see
/// <c>docs/conversation-archive-format.md</c>).
/// </summary>
public static class ConversationArchiveFormat
{
    /// <summary>The value of the root <c>format</c> member that marks a gateway export.</summary>
    public const string Name = "gateway.conversations";

    /// <summary>
    /// The <c>formatVersion</c> this gateway writes, and the newest it reads. Version 2 added the tool
    /// members of a message (<c>toolCalls</c>, <c>toolCallId</c>, <c>toolName</c>), version 3 an assistant
    /// message's <c>citations</c>, version 4 writes a tool call's <c>arguments</c> as the JSON object they are
    /// instead of a string holding its text; files of earlier versions read as before.
    /// </summary>
    public const int CurrentVersion = 4;

    /// <summary>The <c>source</c> metadata value of conversations imported from a ChatGPT <c>conversations.json</c>.</summary>
    public const string ChatGptSource = "chatgpt";
}
