using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// The choices of an answer to a request for more than one (<see cref="ChatParameterNames.N"/>): the response
/// and its messages are choice 0, as every consumer reads them, and the other choices travel beside it — a
/// completion's in <see cref="ChatResponse.AdditionalProperties"/> (<see cref="OthersPropertyName"/>, each a
/// <see cref="ChatResponse"/> of its own, in the upstream's order 1, 2, …), a streamed update of another choice
/// marked with its index (<see cref="IndexPropertyName"/>). A stored conversation keeps choice 0.
/// </summary>
public static class ChatChoices
{
    /// <summary>The key of a streamed update's choice index in <see cref="ChatResponseUpdate.AdditionalProperties"/>; absent for choice 0.</summary>
    public const string IndexPropertyName = "gateway.choice";

    /// <summary>The key of a completion's other choices in <see cref="ChatResponse.AdditionalProperties"/>.</summary>
    public const string OthersPropertyName = "gateway.choices";

    /// <summary>The choice <paramref name="update"/> belongs to: 0 unless it is marked.</summary>
    public static int IndexOf(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.AdditionalProperties?.TryGetValue(IndexPropertyName, out var value) == true && value is int index ? index : 0;
    }

    /// <summary>The choices of <paramref name="response"/> after choice 0, in order; empty when it has one.</summary>
    public static IReadOnlyList<ChatResponse> Others(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(OthersPropertyName, out var value) == true && value is IReadOnlyList<ChatResponse> others
            ? others
            : [];
    }

    internal static void Mark(ChatResponseUpdate update, int index) => (update.AdditionalProperties ??= [])[IndexPropertyName] = index;

    internal static void SetOthers(ChatResponse response, IReadOnlyList<ChatResponse> others) => (response.AdditionalProperties ??= [])[OthersPropertyName] = others;
}
