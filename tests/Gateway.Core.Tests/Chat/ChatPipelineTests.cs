using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Metrics;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Chat;

/// <summary>Each route's client is built on <see cref="ChatClientBuilder"/>, with the app's steps around the gateway's own.</summary>
public sealed class ChatPipelineTests : IAsyncLifetime
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];

    private TestUpstreamServer _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private ServiceProvider Build(Action<IGatewayBuilder> pipeline, params (string Key, string Value)[] settings) =>
        GatewayServices.Build(
            services => pipeline(services.AddGateway()),
            [("MODEL_ROUTE_MAIN", $"openai|{_upstream.OpenAIBaseAddress}|test-model"), .. settings]);

    [Fact]
    public async Task Steps_ForAllRoutes_RunOutermostInRegistrationOrder()
    {
        var calls = new List<string>();
        using var services = Build(gateway => gateway
            .ConfigureChatPipeline((route, pipeline) => pipeline.Use(async (messages, options, next, ct) =>
            {
                calls.Add($"first {route.Key}");
                await next(messages, options, ct);
            }))
            .ConfigureChatPipeline((_, pipeline) => pipeline.Use(async (messages, options, next, ct) =>
            {
                calls.Add("second");
                await next(messages, options, ct);
            })));
        var chat = services.GetRequiredService<ChatService>();
        var route = chat.Router.Resolve("main");

        var response = await chat.CompleteAsync(route, Hello, null);
        await foreach (var _ in chat.StreamAsync(route, Hello, null))
        {
        }

        Assert.Equal("Hello, world!", response.Text);
        Assert.Equal(["first main", "second", "first main", "second"], calls);
        Assert.Equal(2, _upstream.Requests.Count);
    }

    [Fact]
    public async Task Steps_WrapTheGatewayMetrics_AStepThatAnswersItselfIsNotAnUpstreamCall()
    {
        using var services = Build(gateway => gateway.ConfigureChatPipeline((_, pipeline) => pipeline.Use(
            getResponseFunc: (_, _, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "from the cache"))),
            getStreamingResponseFunc: null)));
        var chat = services.GetRequiredService<ChatService>();
        var route = chat.Router.Resolve("main");

        var response = await chat.CompleteAsync(route, Hello, null);

        Assert.Equal("from the cache", response.Text);
        Assert.Empty(_upstream.Requests);
        Assert.Equal(0, services.GetRequiredService<ModelLatencyTracker>().For(route.Key).GetSnapshot().Requests);
    }

    [Fact]
    public async Task Steps_WrapTheTotalTimeout_AStepSeesTheGatewayTimeoutError()
    {
        Exception? seen = null;
        using var services = Build(
            gateway => gateway.ConfigureChatPipeline((_, pipeline) => pipeline.Use(async (messages, options, next, ct) =>
            {
                try
                {
                    await next(messages, options, ct);
                }
                catch (Exception ex)
                {
                    seen = ex;
                    throw;
                }
            })),
            ("TOTAL_TIMEOUT_SECONDS", "1"));
        var chat = services.GetRequiredService<ChatService>();
        _upstream.Behavior = new UpstreamBehavior { FirstByteDelay = TimeSpan.FromSeconds(5) };

        var error = await Assert.ThrowsAsync<GatewayException>(() => chat.CompleteAsync(chat.Router.Resolve("main"), Hello, null));

        Assert.Equal(GatewayErrorCodes.UpstreamTimeout, error.ErrorCode);
        Assert.Same(error, seen);
    }

    [Fact]
    public async Task Steps_ForOneRoute_RunOnlyOnThatRoute_AndThePipelineIsBuiltOncePerRoute()
    {
        var built = new List<string>();
        var tagged = new List<string>();
        using var services = Build(
            gateway => gateway
                .ConfigureChatPipeline((route, _) => built.Add(route.Key.Value))
                .ConfigureChatPipeline("Other", pipeline => pipeline.Use(async (messages, options, next, ct) =>
                {
                    tagged.Add("other");
                    await next(messages, options, ct);
                })),
            ("MODEL_ROUTE_OTHER", $"ollama|{_upstream.BaseAddress}|test-model"));
        var chat = services.GetRequiredService<ChatService>();

        for (var i = 0; i < 3; i++)
        {
            await chat.CompleteAsync(chat.Router.Resolve("main"), Hello, null);
            await chat.CompleteAsync(chat.Router.Resolve("other"), Hello, null);
        }

        Assert.Equal(["other", "other", "other"], tagged);
        Assert.Equal(["main", "other"], built);
        Assert.Same(chat.GetClient(chat.Router.Resolve("main")), chat.GetClient(chat.Router.Resolve("main")));
    }

    [Fact]
    public void Steps_ForAnUnconfiguredRoute_FailStartNamingTheKey()
    {
        using var services = Build(gateway => gateway.ConfigureChatPipeline("mian", _ => { }));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ChatPipelineOptions>>().Value);

        Assert.Equal("ConfigureChatPipeline(\"mian\", …) names no configured route (configured: main).", Assert.Single(error.Failures));
    }

    [Fact]
    public void ConfigureChatPipeline_InvalidRouteKey_Throws()
    {
        var gateway = new ServiceCollection().AddGateway();

        var error = Assert.Throws<ArgumentException>(() => gateway.ConfigureChatPipeline("no spaces", _ => { }));

        Assert.Equal("routeKey", error.ParamName);
    }

    [Fact]
    public async Task Steps_ResolveTheirServicesFromTheApp()
    {
        using var services = Build(gateway =>
        {
            gateway.Services.AddSingleton(new ReplyPrefix("cached: "));
            gateway.ConfigureChatPipeline((_, pipeline) => pipeline.Use((inner, app) => new PrefixingChatClient(inner, app.GetRequiredService<ReplyPrefix>())));
        });
        var chat = services.GetRequiredService<ChatService>();

        var response = await chat.CompleteAsync(chat.Router.Resolve("main"), Hello, null);

        Assert.Equal("cached: Hello, world!", response.Text);
    }

    private sealed record ReplyPrefix(string Text);

    private sealed class PrefixingChatClient(IChatClient inner, ReplyPrefix prefix) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, prefix.Text + response.Text));
        }
    }
}
