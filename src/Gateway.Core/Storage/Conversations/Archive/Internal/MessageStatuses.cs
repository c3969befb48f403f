namespace Gateway.Core.Storage.Conversations.Archive.Internal;

/// <summary>The archive spelling of <see cref="MessageStatus"/>: lowercase words, stable across versions.</summary>
internal static class MessageStatuses
{
    public const string List = "'complete', 'incomplete' or 'error'";

    public static string Format(MessageStatus status) => status switch
    {
        MessageStatus.Complete => "complete",
        MessageStatus.Incomplete => "incomplete",
        MessageStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown message status."),
    };

    public static MessageStatus? TryParse(string text) => text switch
    {
        "complete" => MessageStatus.Complete,
        "incomplete" => MessageStatus.Incomplete,
        "error" => MessageStatus.Error,
        _ => null,
    };
}
