using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>Every error under /v1 carries OpenAI's error object, with the /v1 name of the field at fault.</summary>
public sealed class OpenAIErrorEnvelopeTests : GatewayFixture
{
    [Theory]
    [InlineData("v1/nothing-here")]
    [InlineData("v1/chat/completions/extra")]
    [InlineData("v1")]
    public async Task UnknownPath_Answers404InOpenAIsEnvelope(string path)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync(path, Json("{}"));

        var error = await AssertOpenAIErrorAsync(response, HttpStatusCode.NotFound, "endpoint_not_found", "not_found_error");
        Assert.Contains("POST /" + path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    [Fact]
    public async Task WrongMethod_Answers405InOpenAIsEnvelopeWithAllow()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.GetAsync("v1/chat/completions");

        await AssertOpenAIErrorAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed", "invalid_request_error");
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task UnknownPath_WithoutApiKey_Answers401NotRevealingPaths()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("GATEWAY_API_KEYS", "sk-gateway"));

        using var response = await gateway.Client.GetAsync("v1/nothing-here");

        await AssertOpenAIErrorAsync(response, HttpStatusCode.Unauthorized, "unauthenticated", "authentication_error");
    }

    [Fact]
    public async Task UnknownApiPath_StaysAPlainProblem()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.GetAsync("api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("endpoint_not_found", problem.GetProperty("errorCode").GetString());
        Assert.False(problem.TryGetProperty("error", out _));
    }

    [Theory]
    [InlineData("""{"model":"main","temperature":3,"messages":[{"role":"user","content":"Hi"}]}""", "temperature")]
    [InlineData("""{"model":"main","top_p":0,"messages":[{"role":"user","content":"Hi"}]}""", "top_p")]
    [InlineData("""{"model":"main","max_completion_tokens":0,"messages":[{"role":"user","content":"Hi"}]}""", "max_completion_tokens")]
    [InlineData("""{"model":"main","messages":[{"role":"robot","content":"Hi"}]}""", "messages[0].role")]
    public async Task ChatCompletions_InvalidField_NamesTheV1Field(string body, string field)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(body));

        var error = await AssertOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "invalid_request_error");
        Assert.Equal(field, error.GetProperty("param").GetString());
        Assert.StartsWith(field + ": ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task ApiChat_InvalidField_KeepsTheGatewaysFieldName()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"messages":[{"role":"user","content":"Hi"}],"options":{"temperature":3}}"""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("options.temperature", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ChatCompletions_MalformedMember_NamesItAsParam()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""{"model":"main","temperature":"hot","messages":[]}"""));

        var error = await AssertOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "malformed_request", "invalid_request_error");
        Assert.Equal("temperature", error.GetProperty("param").GetString());
    }

    internal static async Task<JsonElement> AssertOpenAIErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string type)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("param", out _), "OpenAI's error object always has param.");
        return error.Clone();
    }
}
