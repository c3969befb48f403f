using Gateway.Core.Routing;
using Gateway.Core.Storage.Profiles;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// What a chat turn runs with: the route and, when one applies, the model profile whose system prompt
/// and sampling parameters shape the request.
/// </summary>
/// <param name="Route">The route the turn runs on.</param>
/// <param name="Profile">The profile that applies, if any.</param>
public sealed record ChatTarget(ModelRoute Route, ModelProfile? Profile)
{
    /// <summary>
    /// The messages to send: the profile's system prompt first (never stored with the conversation),
    /// then <paramref name="messages"/>.
    /// </summary>
    public IReadOnlyList<ChatMessage> ApplyTo(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (string.IsNullOrEmpty(Profile?.SystemPrompt))
        {
            return messages;
        }

        var withPrompt = new List<ChatMessage>(messages.Count + 1) { new(ChatRole.System, Profile.SystemPrompt) };
        withPrompt.AddRange(messages);
        return withPrompt;
    }

    /// <summary>The options to send: every parameter the request sets, else the profile's.</summary>
    public ChatOptions? ApplyTo(ChatOptions? options)
    {
        if (Profile is not { } profile)
        {
            return options;
        }

        var merged = options?.Clone() ?? new ChatOptions();
        merged.Temperature ??= profile.Temperature;
        merged.TopP ??= profile.TopP;
        merged.MaxOutputTokens ??= profile.MaxTokens;
        if (merged.StopSequences is null && profile.Stop.Count > 0)
        {
            merged.StopSequences = profile.Stop.ToList();
        }

        return merged;
    }
}
