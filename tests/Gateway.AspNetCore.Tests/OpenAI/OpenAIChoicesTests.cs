using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>
/// <c>n</c> above 1 on /v1/chat/completions: an OpenAI-compatible upstream's every choice comes back, whole or
/// streamed with its index; a route that cannot make several choices refuses it.
/// </summary>
public sealed class OpenAIChoicesTests : GatewayFixture
{
    [Fact]
    public async Task ChatCompletions_NOfThree_ReturnsEveryChoice()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","n":3,"logprobs":true,"messages":[{"role":"user","content":"Hi"}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choices = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("choices");
        Assert.Equal([0, 1, 2], choices.EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(
            ["Hello, world!", "(1) Hello, world!", "(2) Hello, world!"],
            choices.EnumerateArray().Select(c => c.GetProperty("message").GetProperty("content").GetString()));
        Assert.All(choices.EnumerateArray(), c => Assert.Equal("stop", c.GetProperty("finish_reason").GetString()));
        Assert.All(choices.EnumerateArray(), c => Assert.Equal(4, c.GetProperty("logprobs").GetProperty("content").GetArrayLength()));
        Assert.Equal(3, JsonDocument.Parse(Assert.Single(Upstream.Requests).Body).RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Stream_NOfTwo_EachChoiceHasItsDeltasRoleAndFinish()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","n":2,"stream":true,"messages":[{"role":"user","content":"Hi"}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal("[DONE]", events[^1].Data);
        var texts = new Dictionary<int, StringBuilder>();
        var roles = new Dictionary<int, int>();
        var finishes = new Dictionary<int, string>();
        foreach (var choice in events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("choices")[0]))
        {
            var index = choice.GetProperty("index").GetInt32();
            var delta = choice.GetProperty("delta");
            if (delta.TryGetProperty("content", out var content))
            {
                (texts.TryGetValue(index, out var text) ? text : texts[index] = new StringBuilder()).Append(content.GetString());
            }

            if (delta.TryGetProperty("role", out _))
            {
                roles[index] = roles.GetValueOrDefault(index) + 1;
            }

            if (choice.GetProperty("finish_reason").GetString() is { } finish)
            {
                finishes.Add(index, finish);
            }
        }

        Assert.Equal("Hello, world!", texts[0].ToString());
        Assert.Equal("(1) Hello, world!", texts[1].ToString());
        Assert.Equal(1, roles[0]);
        Assert.Equal(1, roles[1]);
        Assert.Equal("stop", finishes[0]);
        Assert.Equal("stop", finishes[1]);
    }

    [Fact]
    public async Task ChatCompletions_NOnOllama_StillAnswers400UnsupportedParameter()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","n":2,"messages":[{"role":"user","content":"Hi"}]}
            """));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unsupported_parameter");
        Assert.Equal("n", problem.GetProperty("error").GetProperty("param").GetString());
    }
}
