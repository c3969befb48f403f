using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Storage.Postgres.Tests.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.Storage.Postgres.Tests.Hosts;

/// <summary>
/// <c>/v1/responses</c> over conversations stored on PostgreSQL: <c>previous_response_id</c> continues them,
/// from another replica too, and a stored response is rebuilt from them.
/// </summary>
public sealed class StoredResponsesTests : IAsyncLifetime
{
    private const string WeatherTool = """[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]""";

    private string _database = string.Empty;
    private TestUpstreamServer _upstream = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        _upstream = await TestUpstreamServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task PreviousResponseId_OnAnotherReplica_ContinuesTheStoredConversation()
    {
        await using var first = await StartReplicaAsync();
        await using var second = await StartReplicaAsync();
        _upstream.Behavior = new UpstreamBehavior { Chunks = ["Pa", "ris"] };
        var asked = await CreateAsync(first, """{"model":"main","input":"Capital of France?"}""");
        _upstream.ClearRequests();
        _upstream.Behavior = new UpstreamBehavior { Chunks = ["Rome"] };

        var continued = await CreateAsync(second, $$"""{"model":"main","input":"And of Italy?","previous_response_id":"{{Id(asked)}}"}""");

        using var sent = JsonDocument.Parse(Assert.Single(_upstream.Requests).Body);
        Assert.Equal(
            [("user", "Capital of France?"), ("assistant", "Paris"), ("user", "And of Italy?")],
            sent.RootElement.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())));
        Assert.Equal(Id(asked), continued.GetProperty("previous_response_id").GetString());
        Assert.NotEqual(Id(asked), Id(continued));
        // Both turns are one conversation in the database: the response ids name it.
        Assert.Equal(Id(asked).Split('_')[1], Id(continued).Split('_')[1]);
        var rebuilt = await first.GetAsync($"v1/responses/{Id(continued)}");
        Assert.Equal(("completed", "Rome"), (rebuilt.GetProperty("status").GetString(), rebuilt.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()));
    }

    [Fact]
    public async Task PreviousResponseId_AfterAFunctionCall_SendsTheStoredCallAndItsOutputUpstream()
    {
        await using var gateway = await StartReplicaAsync();
        _upstream.Behavior = new UpstreamBehavior { ToolCalls = [new UpstreamToolCall("call_1", "get_weather", ["{\"city\": ", "\"Oslo\"}"])] };
        var called = await CreateAsync(gateway, $$"""{"model":"main","input":"Weather in Oslo?","tools":{{WeatherTool}}}""");
        _upstream.ClearRequests();
        _upstream.Behavior = new UpstreamBehavior { Chunks = ["Snow."] };

        var answered = await CreateAsync(gateway, $$"""
            {"model":"main","tools":{{WeatherTool}},"previous_response_id":"{{Id(called)}}",
             "input":[{"type":"function_call_output","call_id":"call_1","output":"snow, -4 C"}]}
            """);

        using var sent = JsonDocument.Parse(Assert.Single(_upstream.Requests).Body);
        var messages = sent.RootElement.GetProperty("messages");
        Assert.Equal(["user", "assistant", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        var call = Assert.Single(messages[1].GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(("call_1", "get_weather"), (call.GetProperty("id").GetString(), call.GetProperty("function").GetProperty("name").GetString()));
        // The arguments come back from PostgreSQL as the model wrote them.
        Assert.Equal("""{"city": "Oslo"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal(("call_1", "snow, -4 C"), (messages[2].GetProperty("tool_call_id").GetString(), messages[2].GetProperty("content").GetString()));
        Assert.Equal("Snow.", answered.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        var rebuilt = await gateway.GetAsync($"v1/responses/{Id(called)}");
        var item = Assert.Single(rebuilt.GetProperty("output").EnumerateArray(), i => i.GetProperty("type").GetString() == "function_call");
        Assert.Equal(("call_1", """{"city": "Oslo"}"""), (item.GetProperty("call_id").GetString(), item.GetProperty("arguments").GetString()));
    }

    private Task<GatewayReplica> StartReplicaAsync() =>
        GatewayReplica.StartAsync(_database, ("MODEL_ROUTE_MAIN", $"openai|{_upstream.OpenAIBaseAddress}|test-model"));

    private static async Task<JsonElement> CreateAsync(GatewayReplica gateway, string request)
    {
        using var response = await gateway.Client.PostAsync("v1/responses", new StringContent(request, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST v1/responses: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Id(JsonElement response) => response.GetProperty("id").GetString()!;
}
