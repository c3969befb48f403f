using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Models;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Tests.Chat;

/// <summary>A request with tools on a route that cannot call them is refused before any upstream call; one that may reach a capable upstream goes through.</summary>
public sealed class ChatToolSupportTests : IAsyncLifetime
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Weather in Paris?")];

    private static readonly ChatOptions WithTools = new()
    {
        Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "The weather in a city.", JsonDocument.Parse("""{"type":"object"}""").RootElement)],
    };

    private TestUpstreamServer _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task CompleteAndStream_ConfiguredWithoutTools_AreRefusedNamingTheRoute()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_MAIN", $"openai|{_upstream.OpenAIBaseAddress}|test-model"), ("MODEL_CAPABILITIES_MAIN", "chat,streaming"));
        var chat = services.GetRequiredService<ChatService>();
        var route = chat.Router.Resolve("main");

        var completed = await Assert.ThrowsAsync<GatewayException>(() => chat.CompleteAsync(route, Question, WithTools));
        var streamed = Assert.Throws<GatewayException>(() => chat.StreamAsync(route, Question, WithTools));

        foreach (var error in new[] { completed, streamed })
        {
            Assert.Equal(GatewayErrorCodes.ToolsNotSupported, error.ErrorCode);
            Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
            Assert.Equal("main", error.Extensions["modelKey"]);
            Assert.Contains("'main'", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task Complete_CapabilitiesUnknownOnAnUpstreamServer_IsForwarded()
    {
        using var services = GatewayServices.Build(("MODEL_ROUTE_MAIN", $"openai|{_upstream.OpenAIBaseAddress}|test-model"));
        var chat = services.GetRequiredService<ChatService>();

        await chat.CompleteAsync(chat.Router.Resolve("main"), Question, WithTools);

        Assert.Single(_upstream.Requests);
    }

    [Fact]
    public async Task Complete_ToolModeNone_IsNotRefused()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_MAIN", $"openai|{_upstream.OpenAIBaseAddress}|test-model"), ("MODEL_CAPABILITIES_MAIN", "chat,streaming"));
        var chat = services.GetRequiredService<ChatService>();
        var options = WithTools.Clone();
        options.ToolMode = ChatToolMode.None;

        await chat.CompleteAsync(chat.Router.Resolve("main"), Question, options);

        Assert.Single(_upstream.Requests);
    }

    [Theory]
    [InlineData(new[] { "completion" }, false)]
    [InlineData(new[] { "completion", "tools" }, true)]
    public async Task Complete_OllamaReportsItsModelsCapabilities_TheyDecide(string[] reported, bool forwarded)
    {
        _upstream.Models = [new UpstreamModel("test-model") { Capabilities = reported }];
        using var services = GatewayServices.Build(("MODEL_ROUTE_MAIN", $"ollama|{_upstream.BaseAddress}|test-model"));
        await services.GetRequiredService<ModelMetadataCatalog>().RefreshAsync();
        var chat = services.GetRequiredService<ChatService>();
        var route = chat.Router.Resolve("main");

        if (forwarded)
        {
            await chat.CompleteAsync(route, Question, WithTools);
            Assert.Single(_upstream.Requests);
        }
        else
        {
            var error = await Assert.ThrowsAsync<GatewayException>(() => chat.CompleteAsync(route, Question, WithTools));
            Assert.Equal(GatewayErrorCodes.ToolsNotSupported, error.ErrorCode);
            Assert.Empty(_upstream.Requests);
        }
    }
}
