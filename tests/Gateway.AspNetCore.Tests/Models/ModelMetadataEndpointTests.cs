using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Core.Models;
using Gateway.TestUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.AspNetCore.Tests.Models;

/// <summary>What <c>/api/models</c> shows about each route's model, fetched in the background from the test upstream.</summary>
public sealed class ModelMetadataEndpointTests : GatewayFixture
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Models_OllamaRoute_ShowsQuantizationContextAndCapabilitiesFromApiShow()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_LOCAL", OllamaRoute()));
        await FirstRefreshAsync(gateway);

        var item = Assert.Single((await GetJsonAsync(gateway, "api/models")).GetProperty("items").EnumerateArray());

        Assert.Equal("local", item.GetProperty("key").GetString());
        Assert.Equal("ollama", item.GetProperty("provider").GetString());
        Assert.Equal("test-model", item.GetProperty("model").GetString());
        Assert.True(item.GetProperty("allowed").GetBoolean());
        var source = item.GetProperty("source");
        Assert.Equal("ollama", source.GetProperty("provider").GetString());
        Assert.Equal($"127.0.0.1:{Upstream.BaseAddress.Port}", source.GetProperty("endpointHost").GetString());
        Assert.Equal("test-model", source.GetProperty("model").GetString());
        Assert.Equal("ollama:/api/show", source.GetProperty("metadataSource").GetString());
        Assert.True(item.GetProperty("available").GetBoolean());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("unavailableReason").ValueKind);
        Assert.Equal(JsonValueKind.String, item.GetProperty("checkedAt").ValueKind);
        var quantization = item.GetProperty("quantization");
        Assert.Equal("Q4_K_M", quantization.GetProperty("level").GetString());
        Assert.Equal("1.2B", quantization.GetProperty("parameterSize").GetString());
        Assert.Equal("llama", quantization.GetProperty("family").GetString());
        Assert.Equal("gguf", quantization.GetProperty("format").GetString());
        Assert.Equal("ollama:/api/show", quantization.GetProperty("source").GetString());
        Assert.Equal(131_072, item.GetProperty("contextLength").GetInt64());
        AssertCapabilities(item, chat: true, streaming: true, tools: true, embeddings: false, vision: false, "ollama:/api/show");
        Assert.Equal("1235814432", item.GetProperty("details").GetProperty("parameterCount").GetString());
        var show = Assert.Single(Upstream.CatalogRequests);
        Assert.Equal("/api/show", show.Path);
        Assert.Equal("""{"model":"test-model"}""", show.Body);
    }

    [Fact]
    public async Task Models_OllamaReportsOtherCapabilities_ShowsThemInstead()
    {
        Upstream.Models = [new UpstreamModel("llava:13b") { QuantizationLevel = "Q8_0", ParameterSize = "13B", Capabilities = ["completion", "vision"] }];
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_EYES", OllamaRoute("llava:13b")));
        await FirstRefreshAsync(gateway);

        var item = await GetJsonAsync(gateway, "api/models/eyes");

        AssertCapabilities(item, chat: true, streaming: true, tools: false, embeddings: false, vision: true, "ollama:/api/show");
        Assert.Equal("Q8_0", item.GetProperty("quantization").GetProperty("level").GetString());
        Assert.Equal("13B", item.GetProperty("quantization").GetProperty("parameterSize").GetString());
    }

    [Fact]
    public async Task Models_OpenAIRoute_ShowsSourceAvailabilityAndConfiguredMetadataWithoutSecrets()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_GPT", $"openai|{Upstream.OpenAIBaseAddress}|test-model|env:UPSTREAM_KEY"),
            ("UPSTREAM_KEY", "sk-secret-upstream"),
            ("MODEL_CAPABILITIES_GPT", "chat,streaming,tools,vision"),
            ("Gateway:Routes:gpt:Quantization", "AWQ"),
            ("Gateway:Routes:gpt:ParameterSize", "7B"),
            ("Gateway:Routes:gpt:ContextLength", "32768"));
        await FirstRefreshAsync(gateway);

        using var response = await gateway.Client.GetAsync("api/models");
        var text = await response.Content.ReadAsStringAsync();
        var item = Assert.Single(JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray());

        Assert.DoesNotContain("sk-secret-upstream", text);
        var source = item.GetProperty("source");
        Assert.Equal("openai", source.GetProperty("provider").GetString());
        Assert.Equal($"127.0.0.1:{Upstream.BaseAddress.Port}", source.GetProperty("endpointHost").GetString());
        Assert.Equal("openai:/v1/models", source.GetProperty("metadataSource").GetString());
        Assert.True(item.GetProperty("available").GetBoolean());
        AssertCapabilities(item, chat: true, streaming: true, tools: true, embeddings: false, vision: true, "configuration");
        Assert.Equal("AWQ", item.GetProperty("quantization").GetProperty("level").GetString());
        Assert.Equal("7B", item.GetProperty("quantization").GetProperty("parameterSize").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("quantization").GetProperty("format").ValueKind);
        Assert.Equal("configuration", item.GetProperty("quantization").GetProperty("source").GetString());
        Assert.Equal(32768, item.GetProperty("contextLength").GetInt64());
        Assert.Equal("test", item.GetProperty("details").GetProperty("ownedBy").GetString());
        var list = Assert.Single(Upstream.CatalogRequests);
        Assert.Equal("/v1/models", list.Path);
        Assert.Equal("Bearer sk-secret-upstream", list.Authorization);
    }

    [Fact]
    public async Task Models_UnreachableUpstream_AvailableFalseWithReasonAndCheckTime()
    {
        var port = ClosedPort();
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_GONE", $"ollama|http://user:hunter2@127.0.0.1:{port}|llama3.2"));
        await FirstRefreshAsync(gateway);

        using var response = await gateway.Client.GetAsync("api/models/gone");
        var text = await response.Content.ReadAsStringAsync();
        var item = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(item.GetProperty("available").GetBoolean());
        Assert.Contains("could not be reached", item.GetProperty("unavailableReason").GetString());
        Assert.Contains($"127.0.0.1:{port}", item.GetProperty("unavailableReason").GetString());
        Assert.Equal(JsonValueKind.String, item.GetProperty("checkedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("lastAvailableAt").ValueKind);
        Assert.Equal("default", item.GetProperty("source").GetProperty("metadataSource").GetString());
        AssertCapabilities(item, chat: true, streaming: true, tools: false, embeddings: false, vision: false, "default");
        Assert.DoesNotContain("hunter2", text);
    }

    [Fact]
    public async Task Models_UpstreamThatNeverAnswers_ListAnswersWithAvailabilityUnknown()
    {
        using var silent = SilentTcpServer.StartAccepting();
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_SLOW", $"ollama|http://127.0.0.1:{silent.Port}|llama3.2"),
            ("MODEL_ROUTE_LOCAL", OllamaRoute()));
        var catalog = gateway.Services.GetRequiredService<ModelMetadataCatalog>();

        var items = (await GetJsonAsync(gateway, "api/models")).GetProperty("items");

        // The refresh round is still waiting on the silent upstream, so this answer did not wait for it.
        Assert.Equal(0, catalog.CompletedRefreshes);
        var slow = items.EnumerateArray().Single(item => item.GetProperty("key").GetString() == "slow");
        Assert.Equal(JsonValueKind.Null, slow.GetProperty("available").ValueKind);
        Assert.Equal(JsonValueKind.Null, slow.GetProperty("checkedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, slow.GetProperty("quantization").ValueKind);
        Assert.Equal("default", slow.GetProperty("capabilities").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Models_RefreshTurnedOff_ShowsConfigurationAndNeverAsksTheUpstream()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_LOCAL", OllamaRoute()),
            ("MODEL_CAPABILITIES_LOCAL", "embeddings"),
            ("MODEL_METADATA_REFRESH_SECONDS", "0"));

        var item = await GetJsonAsync(gateway, "api/models/local");

        Assert.Equal(JsonValueKind.Null, item.GetProperty("available").ValueKind);
        Assert.Equal("configuration", item.GetProperty("source").GetProperty("metadataSource").GetString());
        AssertCapabilities(item, chat: false, streaming: false, tools: false, embeddings: true, vision: false, "configuration");
        Assert.Empty(Upstream.CatalogRequests);
    }

    [Fact]
    public async Task Model_ByKey_ReturnsThatRouteCaseInsensitively()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_ONE", OpenAIRoute("m1")),
            ("MODEL_ROUTE_TWO", OllamaRoute()),
            ("ALLOWED_MODELS", "m1"),
            ("DEFAULT_MODEL_KEY", "one"));

        var two = await GetJsonAsync(gateway, "api/models/TWO");

        Assert.Equal("two", two.GetProperty("key").GetString());
        Assert.Equal("ollama", two.GetProperty("provider").GetString());
        Assert.False(two.GetProperty("allowed").GetBoolean());
        Assert.False(two.GetProperty("isDefault").GetBoolean());
        Assert.Equal(Upstream.BaseAddress.ToString(), two.GetProperty("endpoint").GetString());
        Assert.Equal(300, two.GetProperty("latency").GetProperty("windowSeconds").GetInt32());
    }

    [Theory]
    [InlineData("api/models/nope")]
    [InlineData("api/models/bad%20key")]
    public async Task Model_UnknownKey_Answers404RouteNotFoundListingKeys(string path)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_ONE", OpenAIRoute()));

        using var response = await gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("route_not_found", problem.GetProperty("errorCode").GetString());
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("one", Assert.Single(problem.GetProperty("availableKeys").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Model_TwoDeployments_ShowsEachOnesOwnMetadataWithoutSecrets()
    {
        var port = ClosedPort();
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", $"{OllamaRoute()};ollama|http://user:hunter2@127.0.0.1:{port}|llama3.2"));
        await FirstRefreshAsync(gateway);

        using var response = await gateway.Client.GetAsync("api/models/main");
        var text = await response.Content.ReadAsStringAsync();
        var deployments = JsonDocument.Parse(text).RootElement.GetProperty("deployments");

        Assert.Equal(2, deployments.GetArrayLength());
        var serving = deployments[0];
        Assert.Equal(("test-model", "ollama:/api/show"), (serving.GetProperty("source").GetProperty("model").GetString(), serving.GetProperty("source").GetProperty("metadataSource").GetString()));
        Assert.True(serving.GetProperty("available").GetBoolean());
        Assert.Equal("Q4_K_M", serving.GetProperty("quantization").GetProperty("level").GetString());
        Assert.Equal(131_072, serving.GetProperty("contextLength").GetInt64());
        AssertCapabilities(serving, chat: true, streaming: true, tools: true, embeddings: false, vision: false, "ollama:/api/show");
        var gone = deployments[1];
        Assert.Equal(("llama3.2", $"127.0.0.1:{port}"), (gone.GetProperty("source").GetProperty("model").GetString(), gone.GetProperty("source").GetProperty("endpointHost").GetString()));
        Assert.False(gone.GetProperty("available").GetBoolean());
        Assert.Contains("could not be reached", gone.GetProperty("unavailableReason").GetString());
        Assert.Equal(JsonValueKind.String, gone.GetProperty("checkedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, gone.GetProperty("quantization").ValueKind);
        AssertCapabilities(gone, chat: true, streaming: true, tools: false, embeddings: false, vision: false, "default");
        Assert.DoesNotContain("hunter2", text);
        // The route's own members describe its first deployment.
        Assert.Equal(serving.GetProperty("available").GetBoolean(), JsonDocument.Parse(text).RootElement.GetProperty("available").GetBoolean());
        Assert.Equal("/api/show", Assert.Single(Upstream.CatalogRequests).Path);
    }

    private static async Task FirstRefreshAsync(GatewayTestHost gateway) =>
        await gateway.Services.GetRequiredService<ModelMetadataCatalog>().WaitForRefreshesAsync(1).WaitAsync(Guard);

    private static async Task<JsonElement> GetJsonAsync(GatewayTestHost gateway, string path)
    {
        using var response = await gateway.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static void AssertCapabilities(JsonElement item, bool chat, bool streaming, bool tools, bool embeddings, bool vision, string source)
    {
        var capabilities = item.GetProperty("capabilities");
        Assert.Equal(
            (chat, streaming, tools, embeddings, vision, source),
            (capabilities.GetProperty("chat").GetBoolean(),
                capabilities.GetProperty("streaming").GetBoolean(),
                capabilities.GetProperty("tools").GetBoolean(),
                capabilities.GetProperty("embeddings").GetBoolean(),
                capabilities.GetProperty("vision").GetBoolean(),
                capabilities.GetProperty("source").GetString()));
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
