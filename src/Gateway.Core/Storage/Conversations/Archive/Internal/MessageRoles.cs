namespace Gateway.Core.Storage.Conversations.Archive.Internal;

/// <summary>The chat roles a stored message may have.</summary>
internal static class MessageRoles
{
    public const string List = "'system', 'user', 'assistant' or 'tool'";

    public static bool IsKnown(string role) => role is "system" or "user" or "assistant" or "tool";
}
