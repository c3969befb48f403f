using Gateway.Core.Chat;
using Gateway.Core.Chat.Internal;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Chat;

public sealed class ChatParameterRuleTests
{
    private static readonly ModelRoute Route = new(RouteKey.TryParse("main", out var key) ? key : default, "ollama", "http://127.0.0.1:1", "m", null);

    private static readonly ChatParameterSupport NoPenaltiesNoN =
        new([ChatParameterNames.PresencePenalty, ChatParameterNames.N, ChatParameterNames.ResponseFormat], forwardsOtherMembers: false);

    [Fact]
    public void Apply_NothingUnsupported_ReturnsTheSameOptions()
    {
        var options = new ChatOptions { Seed = 1, ResponseFormat = ChatResponseFormat.Text, AdditionalProperties = new() { [ChatParameterNames.User] = "u" } };

        var result = ChatParameterRule.Apply(Route, options, new ChatParameterSupport([], forwardsOtherMembers: false), drop: false);

        Assert.Same(options, result.Options);
        Assert.Empty(result.DroppedParameters);
    }

    [Fact]
    public void Apply_UnsupportedWithoutDrop_ThrowsNamingEveryOne()
    {
        var options = new ChatOptions { PresencePenalty = 1, AdditionalProperties = new() { [ChatParameterNames.N] = 2, ["metadata"] = "x" } };

        var error = Assert.Throws<GatewayException>(() => ChatParameterRule.Apply(Route, options, NoPenaltiesNoN, drop: false));

        Assert.Equal(GatewayErrorCodes.UnsupportedParameter, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal("presence_penalty", error.Extensions["param"]);
        Assert.Equal(new[] { "presence_penalty", "n", "metadata" }, error.Extensions["unsupportedParameters"]);
    }

    [Fact]
    public void Apply_UnsupportedWithDrop_RemovesOnlyThoseAndLeavesTheRequestsOptionsAlone()
    {
        var schema = System.Text.Json.JsonDocument.Parse("""{"type":"object"}""").RootElement;
        var options = new ChatOptions
        {
            PresencePenalty = 1,
            FrequencyPenalty = 2,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "s"),
            AdditionalProperties = new() { [ChatParameterNames.N] = 2, [ChatParameterNames.StrictJsonSchema] = true, [ChatParameterNames.User] = "u" },
        };

        var result = ChatParameterRule.Apply(Route, options, NoPenaltiesNoN, drop: true);

        Assert.Equal(["response_format", "presence_penalty", "n"], result.DroppedParameters);
        var kept = Assert.IsType<ChatOptions>(result.Options);
        Assert.Null(kept.PresencePenalty);
        Assert.Null(kept.ResponseFormat);
        Assert.Equal(2, kept.FrequencyPenalty);
        Assert.Equal(["user"], kept.AdditionalProperties!.Keys);
        Assert.Equal(1, options.PresencePenalty);
        Assert.Equal(3, options.AdditionalProperties.Count);
    }

    [Fact]
    public void Supports_OtherMembers_OnlyWhenTheProviderForwardsThem()
    {
        Assert.True(ChatParameterSupport.Everything.Supports("service_tier"));
        Assert.False(NoPenaltiesNoN.Supports("service_tier"));
        Assert.True(NoPenaltiesNoN.Supports(ChatParameterNames.Seed));
        Assert.False(NoPenaltiesNoN.Supports(ChatParameterNames.N));
    }
}
