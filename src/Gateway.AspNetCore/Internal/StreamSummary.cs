using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Internal;

/// <summary>What a stream's final event reports, gathered from its updates as they pass.</summary>
internal struct StreamSummary
{
    public UsageDetails? Usage;
    public ChatFinishReason? FinishReason;
    public string? ResponseId;
    public string? ModelId;

    public void Observe(ChatResponseUpdate update)
    {
        ResponseId ??= update.ResponseId;
        ModelId ??= update.ModelId;
        // The stream's finish is choice 0's: another choice's is its own (a request for several, see ChatChoices).
        if (update.FinishReason is { } reason && ChatChoices.IndexOf(update) == 0)
        {
            FinishReason = reason;
        }

        // An index loop: foreach over the IList would box an enumerator for every chunk.
        var contents = update.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            var content = contents[i];
            if (content is UsageContent usage)
            {
                Usage = usage.Details;
            }
        }
    }
}
