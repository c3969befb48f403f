using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// One piece of a tool call as an OpenAI-compatible upstream streams it: the call's <see cref="Index"/> in the
/// answer, its <see cref="CallId"/> and function <see cref="Name"/> on its first piece, and a fragment of its
/// arguments' text. The openai provider adds these to its updates as the pieces arrive, for relays that pass
/// them on (the <c>/v1</c> chunk stream); the whole call still arrives as one <see cref="FunctionCallContent"/>
/// when the answer says it is complete, and every other consumer reads only that (see docs/adr/0018).
/// </summary>
public sealed class FunctionCallFragmentContent : AIContent
{
    /// <summary>Creates a piece of call <paramref name="index"/>.</summary>
    /// <param name="index">The call's place in the answer, as the upstream numbers it.</param>
    /// <param name="callId">The call's id on its first piece (the same id its whole call has), else <see langword="null"/>.</param>
    /// <param name="name">The called function's name on the piece that brought it, else <see langword="null"/>.</param>
    /// <param name="arguments">This piece of the arguments' text, possibly empty.</param>
    public FunctionCallFragmentContent(int index, string? callId, string? name, string arguments)
    {
        Index = index;
        CallId = callId;
        Name = name;
        Arguments = arguments;
    }

    /// <summary>The call's place in the answer.</summary>
    public int Index { get; }

    /// <summary>The call's id, on its first piece only.</summary>
    public string? CallId { get; }

    /// <summary>The called function's name, on the piece that brought it only.</summary>
    public string? Name { get; }

    /// <summary>This piece of the arguments' text, as the model wrote it.</summary>
    public string Arguments { get; }
}
