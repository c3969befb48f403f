using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Tests.Providers;

/// <summary>
/// What the providers' tool-call tests stand on: a fresh test upstream, the gateway's client for a route
/// <c>main</c> of <paramref name="provider"/> on it (over real HTTP, through the route's pipeline), the
/// bodies the upstream was sent, and the weather tool the tests call.
/// </summary>
/// <param name="provider"><c>openai</c> or <c>ollama</c>.</param>
public abstract class ProviderToolCallTests(string provider) : IAsyncLifetime
{
    protected static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_weather",
        "The current weather in a city.",
        JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement);

    private ServiceProvider _services = null!;

    protected TestUpstreamServer Upstream { get; private set; } = null!;

    protected IChatClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await TestUpstreamServer.StartAsync();
        var endpoint = provider == "openai" ? Upstream.OpenAIBaseAddress : Upstream.BaseAddress;
        _services = GatewayServices.Build(("MODEL_ROUTE_MAIN", $"{provider}|{endpoint}|test-model"));
        var chat = _services.GetRequiredService<ChatService>();
        Client = chat.GetClient(chat.Router.Resolve("main"));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    /// <summary>The body of the one request the upstream was sent.</summary>
    protected JsonElement SentBody() => JsonDocument.Parse(Assert.Single(Upstream.Requests).Body).RootElement;

    /// <summary>The body of the upstream's request number <paramref name="index"/>, from 0.</summary>
    protected JsonElement SentBody(int index) => JsonDocument.Parse(Upstream.Requests[index].Body).RootElement;

    /// <summary>Asserts that <paramref name="tool"/> is <see cref="Weather"/> as both wire formats write a function tool; returns its <c>function</c>.</summary>
    protected static JsonElement AssertWeatherTool(JsonElement tool)
    {
        Assert.Equal("function", tool.GetProperty("type").GetString());
        var function = tool.GetProperty("function");
        Assert.Equal("get_weather", function.GetProperty("name").GetString());
        Assert.Equal("The current weather in a city.", function.GetProperty("description").GetString());
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", function.GetProperty("parameters").GetRawText());
        return function;
    }

    protected static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
