using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Routing;
using Gateway.Core.Storage.Profiles;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Chat;

public sealed class ChatTargetTests
{
    private static readonly ModelRoute Route = CreateRoute();

    private static ModelProfile Profile(string? systemPrompt = "Be brief.", IReadOnlyList<string>? stop = null) => new(
        "0190a000-0000-7000-8000-000000000001", "Brief", "main", systemPrompt, 0.2f, 0.8f, 100, stop ?? ["END"], null,
        JsonDocument.Parse("{}").RootElement, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public void ApplyTo_Messages_PrependsTheSystemPrompt()
    {
        var sent = new ChatTarget(Route, Profile()).ApplyTo([new ChatMessage(ChatRole.User, "Hi")]);

        Assert.Equal([ChatRole.System, ChatRole.User], sent.Select(m => m.Role));
        Assert.Equal("Be brief.", sent[0].Text);
    }

    [Fact]
    public void ApplyTo_Messages_WithoutPromptOrProfile_LeavesThemAsTheyAre()
    {
        IReadOnlyList<ChatMessage> messages = [new ChatMessage(ChatRole.User, "Hi")];

        Assert.Same(messages, new ChatTarget(Route, Profile(systemPrompt: null)).ApplyTo(messages));
        Assert.Same(messages, new ChatTarget(Route, null).ApplyTo(messages));
    }

    [Fact]
    public void ApplyTo_Options_RequestValuesWinFieldByField()
    {
        var request = new ChatOptions { Temperature = 1.1f, StopSequences = ["STOP"] };

        var merged = new ChatTarget(Route, Profile()).ApplyTo(request)!;

        Assert.Equal(1.1f, merged.Temperature);
        Assert.Equal(0.8f, merged.TopP);
        Assert.Equal(100, merged.MaxOutputTokens);
        Assert.Equal(["STOP"], merged.StopSequences!);
        Assert.Null(request.TopP);
    }

    [Fact]
    public void ApplyTo_Options_NoRequestOptions_TakesTheProfiles()
    {
        var merged = new ChatTarget(Route, Profile()).ApplyTo((ChatOptions?)null)!;

        Assert.Equal(0.2f, merged.Temperature);
        Assert.Equal(["END"], merged.StopSequences!);
        Assert.Null(new ChatTarget(Route, null).ApplyTo((ChatOptions?)null));
    }

    private static ModelRoute CreateRoute()
    {
        Assert.True(RouteKey.TryParse("main", out var key));
        return new ModelRoute(key, "openai", "http://127.0.0.1:1/v1", "m", null);
    }
}
