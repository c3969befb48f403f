namespace Gateway.Core.Storage.Conversations;

/// <summary>How a stored message came to be.</summary>
public enum MessageStatus
{
    /// <summary>The message is whole: written by a user or a finished model reply.</summary>
    Complete,

    /// <summary>A model reply whose stream broke before it finished; what arrived is kept.</summary>
    Incomplete,

    /// <summary>A model reply that failed; the content holds what arrived, if anything.</summary>
    Error,
}
