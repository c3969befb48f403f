using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;

namespace Gateway.AspNetCore.Tests.Models;

public sealed class ModelEndpointTests : GatewayFixture
{
    [Fact]
    public async Task Models_ListsEveryRouteWithAllowedAndDefault()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_ONE", OpenAIRoute("m1")),
            ("MODEL_ROUTE_TWO", "openai|http://user:pass@127.0.0.1:9/v1|m2|env:UPSTREAM_KEY"),
            ("UPSTREAM_KEY", "sk-secret-upstream"),
            ("ALLOWED_MODELS", "m1"),
            ("DEFAULT_MODEL_KEY", "ONE"));

        using var response = await gateway.Client.GetAsync("api/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("sk-secret-upstream", text);
        Assert.DoesNotContain("pass", text);
        var root = JsonDocument.Parse(text).RootElement;
        var items = root.GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal("one", items[0].GetProperty("key").GetString());
        Assert.True(items[0].GetProperty("allowed").GetBoolean());
        Assert.True(items[0].GetProperty("isDefault").GetBoolean());
        Assert.Equal("two", items[1].GetProperty("key").GetString());
        Assert.Equal("openai", items[1].GetProperty("provider").GetString());
        Assert.Equal("m2", items[1].GetProperty("model").GetString());
        Assert.False(items[1].GetProperty("allowed").GetBoolean());
        Assert.Equal("one", root.GetProperty("defaultModelKey").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("hint").ValueKind);
    }

    [Fact]
    public async Task Models_NoRoutes_ExplainsHowToAddOne()
    {
        var gateway = await StartGatewayAsync();

        using var response = await gateway.Client.GetAsync("api/models");

        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, root.GetProperty("items").GetArrayLength());
        Assert.Contains("MODEL_ROUTE_<KEY>", root.GetProperty("hint").GetString());
    }
}
