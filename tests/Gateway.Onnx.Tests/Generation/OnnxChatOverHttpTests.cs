using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Core.Models;
using Gateway.Onnx.Generation;
using Gateway.Onnx.Tests.Generation.Fixture;
using Gateway.Onnx.Tests.Generation.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Onnx.Tests.Generation.Infrastructure.Conversations;

namespace Gateway.Onnx.Tests.Generation;

/// <summary>The tiny model end to end: a real gateway on Kestrel at 127.0.0.1, an <c>onnx</c> route, plain HTTP.</summary>
public sealed class OnnxChatOverHttpTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task ChatStream_OnnxRoute_StreamsDeltasThenDoneWithUsageAndFinishReason()
    {
        await using var gateway = await StartAsync(fixture.Standard);

        using var response = await gateway.Client.PostAsync("api/chat/stream", Body("""{"maxTokens":12}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await SseReader.ReadAllAsync(response);

        var deltas = events.Where(e => e.Name is null).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("content").GetString()).ToList();
        Assert.True(deltas.Count >= 3, $"expected several deltas, got {deltas.Count}");
        var done = events[^1];
        Assert.Equal("done", done.Name);
        Assert.Single(events, e => e.Name == "done");
        var body = JsonDocument.Parse(done.Data).RootElement;
        Assert.Equal("length", body.GetProperty("finishReason").GetString());
        Assert.Equal(12, body.GetProperty("usage").GetProperty("outputTokens").GetInt32());
        Assert.True(body.GetProperty("usage").GetProperty("inputTokens").GetInt32() > 5);
        Assert.Equal("tiny", body.GetProperty("modelKey").GetString());
        Assert.Equal("tiny-model", body.GetProperty("model").GetString());

        // The same text the provider's client gives outside the gateway.
        await using var direct = OnnxGatewayServices.Create(fixture.Standard);
        var expected = (await direct.CreateClient().GetResponseAsync(Hello, Greedy(12))).Text;
        Assert.Equal(expected, string.Concat(deltas));
    }

    [Fact]
    public async Task Chat_OnnxRouteWithStop_AnswersWithStopFinishReason()
    {
        await using var gateway = await StartAsync(fixture.Standard);
        await using var direct = OnnxGatewayServices.Create(fixture.Standard);
        var full = (await direct.CreateClient().GetResponseAsync(Hello, Greedy(30))).Text;
        var stop = full.Substring(8, 2);

        using var response = await gateway.Client.PostAsync("api/chat", Body($$"""{"maxTokens":30,"stop":{{JsonSerializer.Serialize(stop)}}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], body.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", body.GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task ChatStream_ModelFailsToLoad_ProblemJsonWithItsErrorCode()
    {
        var folder = fixture.NewFolder("broken-over-http");
        TinyModelFolder.Write(folder, new TinyDecoderSpec());
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), [1, 2, 3]);
        await using var gateway = await StartAsync(folder);

        foreach (var path in new[] { "api/chat", "api/chat/stream" })
        {
            using var response = await gateway.Client.PostAsync(path, Body("""{"maxTokens":4}"""));

            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(OnnxGenerationErrorCodes.ModelLoadFailed, problem.GetProperty("errorCode").GetString());
            Assert.Contains("could not be loaded", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("api/chat")]
    [InlineData("api/chat/stream")]
    public async Task Chat_OnnxRouteWithTools_Answers400ToolsNotSupported(string path)
    {
        await using var gateway = await StartAsync(fixture.Standard);

        using var response = await gateway.Client.PostAsync(path, new StringContent(
            """{"modelKey":"tiny","messages":[{"role":"user","content":"hello world"}],"tools":[{"name":"get_weather"}]}""",
            Encoding.UTF8,
            "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("tools_not_supported", problem.GetProperty("errorCode").GetString());
        Assert.Equal("tiny", problem.GetProperty("modelKey").GetString());
    }

    [Fact]
    public async Task Models_OnnxRoute_ShowsTheModelsShapeAndItsExecutionProvider()
    {
        await using var gateway = await StartAsync(fixture.Standard);
        using var chat = await gateway.Client.PostAsync("api/chat", Body("""{"maxTokens":2}"""));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);

        // Loading the model refreshes its entry in the background: no metadata round has to come first.
        var item = await ModelWhenAsync(gateway, "tiny", model => model.TryGetProperty("details", out var d) && d.TryGetProperty("loaded", out var l) && l.GetString() == "true");

        Assert.Equal("onnx:genai_config.json", item.GetProperty("source").GetProperty("metadataSource").GetString());
        Assert.True(item.GetProperty("available").GetBoolean());
        Assert.Equal("llama", item.GetProperty("quantization").GetProperty("family").GetString());
        Assert.Equal("onnx", item.GetProperty("quantization").GetProperty("format").GetString());
        Assert.Equal(new TinyDecoderSpec().ContextLength, item.GetProperty("contextLength").GetInt32());
        var details = item.GetProperty("details");
        Assert.Equal("cpu", details.GetProperty("executionProvider").GetString());
        Assert.Equal("true", details.GetProperty("loaded").GetString());
        Assert.True(item.GetProperty("capabilities").GetProperty("streaming").GetBoolean());
    }

    [Fact]
    public async Task Models_OnnxRouteWhoseFolderWentAway_IsUnavailableWithTheReason()
    {
        var folder = fixture.NewFolder("vanishing");
        TinyModelFolder.Write(folder, new TinyDecoderSpec());
        await using var gateway = await StartAsync(folder);
        Directory.Delete(folder, recursive: true);

        await gateway.Services.GetRequiredService<ModelMetadataCatalog>().RefreshAsync().WaitAsync(TimeSpan.FromSeconds(30));
        using var response = await gateway.Client.GetAsync("api/models/tiny");

        var item = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(item.GetProperty("available").GetBoolean());
        Assert.Contains("does not exist", item.GetProperty("unavailableReason").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ModelWhenAsync(GatewayTestHost gateway, string key, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await gateway.Client.GetAsync($"api/models/{key}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var model = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (condition(model) || DateTime.UtcNow > deadline)
            {
                return model;
            }

            await Task.Delay(20);
        }
    }

    private static Task<GatewayTestHost> StartAsync(string folder) =>
        GatewayTestHost.StartAsync(
            new Dictionary<string, string?> { ["MODEL_ROUTE_TINY"] = $"onnx|{folder}|tiny-model" },
            gateway => gateway.AddOnnxGeneration());

    private static StringContent Body(string options) => new(
        $$"""{"modelKey":"tiny","messages":[{"role":"user","content":"hello world"}],"options":{{options}}}""",
        Encoding.UTF8,
        "application/json");
}
