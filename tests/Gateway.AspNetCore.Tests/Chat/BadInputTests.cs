using System.Net;
using Gateway.AspNetCore.Tests.Infrastructure;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Chat;

public sealed class BadInputTests : GatewayFixture
{
    [Theory]
    [InlineData("api/chat", """{"messages":[{"role":"user","content":"Hi"}""", "malformed_request", "$.messages")]
    [InlineData("api/chat", """{"messages":[{"role":"user","content":42}]}""", "malformed_request", "$.messages[0].content")]
    [InlineData("api/chat", """{"messages":[]}""", "invalid_request", "messages")]
    [InlineData("api/chat", """{}""", "invalid_request", "messages")]
    [InlineData("api/chat", """null""", "malformed_request", "$")]
    [InlineData("api/chat", """{"messages":[{"role":"wizard","content":"Hi"}]}""", "invalid_request", "messages[0].role")]
    [InlineData("api/chat", """{"messages":[{"content":"Hi"}]}""", "invalid_request", "messages[0].role")]
    [InlineData("api/chat", """{"messages":[{"role":"user"}]}""", "invalid_request", "messages[0].content")]
    [InlineData("api/chat", """{"modelKey":"main\u0007","messages":[{"role":"user","content":"Hi"}]}""", "invalid_request", "modelKey")]
    [InlineData("api/chat", """{"messages":[{"role":"user","content":"Hi"}],"options":{"temperature":3}}""", "invalid_request", "options.temperature")]
    [InlineData("api/chat", """{"messages":[{"role":"user","content":"Hi"}],"options":{"maxTokens":-1}}""", "invalid_request", "options.maxTokens")]
    [InlineData("api/chat", """{"messages":[{"role":"user","content":"Hi"}],"options":{"topK":0}}""", "invalid_request", "options.topK")]
    [InlineData("api/chat/stream", """{"messages":[{"role":"user","content":"Hi"}""", "malformed_request", "$.messages")]
    [InlineData("api/chat/stream", """{"messages":[]}""", "invalid_request", "messages")]
    [InlineData("v1/chat/completions", """{"model":"main","messages":[{"role":"user","content":{"x":1}}]}""", "invalid_request", "messages[0].content")]
    [InlineData("v1/chat/completions", """{"model":"main","messages":[{"role":"tool","content":"x"}]}""", "invalid_request", "messages[0].tool_call_id")]
    [InlineData("v1/chat/completions", """{"model":"main\n","messages":[{"role":"user","content":"Hi"}]}""", "invalid_request", "model")]
    public async Task Request_Invalid_Answers400NamingTheProblemAndCallsNothingUpstream(
        string path, string body, string errorCode, string where)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync(path, Json(body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, errorCode);
        var located = problem.TryGetProperty("field", out var field) ? field.GetString() : problem.GetProperty("path").GetString();
        Assert.StartsWith(where, located);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task Request_TenMegabyteBody_Answers413()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        var huge = $$"""{"messages":[{"role":"user","content":"{{new string('x', 10 * 1024 * 1024)}}"}]}""";

        using var response = await gateway.Client.PostAsync("api/chat", Json(huge));

        var problem = await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(4 * 1024 * 1024, problem.GetProperty("limitBytes").GetInt64());
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task Request_ChunkedBodyOverLimit_Answers413()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("MAX_REQUEST_BODY_BYTES", "2048"));
        var body = $$"""{"messages":[{"role":"user","content":"{{new string('x', 8192)}}"}]}""";
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await gateway.Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Request_NotJson_Answers400UnsupportedMediaType()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", new StringContent("hello"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unsupported_media_type");
    }

    [Fact]
    public async Task UnknownPath_AnswersProblem404()
    {
        var gateway = await StartGatewayAsync();

        using var response = await gateway.Client.GetAsync("api/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("endpoint_not_found", await response.Content.ReadAsStringAsync());
    }
}
