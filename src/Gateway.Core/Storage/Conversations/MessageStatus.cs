using System.Text.Json.Serialization;

namespace Gateway.Core.Storage.Conversations;

/// <summary>How a stored message came to be. In JSON: <c>complete</c>, <c>incomplete</c>, <c>error</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageStatus>))]
public enum MessageStatus
{
    /// <summary>The message is whole: written by a user or a finished model reply.</summary>
    [JsonStringEnumMemberName("complete")]
    Complete,

    /// <summary>A model reply whose stream broke before it finished; what arrived is kept.</summary>
    [JsonStringEnumMemberName("incomplete")]
    Incomplete,

    /// <summary>A model reply that failed; the content holds what arrived, if anything.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}
