using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Models;
using Gateway.Onnx.Tests.Generation.Fixture;
using Gateway.Onnx.Tests.Generation.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Onnx.Tests.Generation.Infrastructure.Conversations;

namespace Gateway.Onnx.Tests.Generation;

/// <summary>An <c>onnx</c> route runs no tool calls, so a request with tools is refused, never answered without them.</summary>
public sealed class OnnxToolsTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly ChatOptions WithTools = new()
    {
        Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "The weather in a city.", JsonDocument.Parse("""{"type":"object"}""").RootElement)],
    };

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, "chat,streaming,tools")]
    public async Task Chat_WithTools_IsRefusedNamingTheRoute(bool refreshed, string? configuredCapabilities)
    {
        var settings = new Dictionary<string, string?> { ["MODEL_CAPABILITIES_TINY"] = configuredCapabilities };
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard, settings);
        if (refreshed)
        {
            await gateway.Services.GetRequiredService<ModelMetadataCatalog>().RefreshAsync();
        }

        var chat = gateway.Services.GetRequiredService<ChatService>();
        var route = gateway.Route();

        var completed = await Assert.ThrowsAsync<GatewayException>(() => chat.CompleteAsync(route, Hello, WithTools));
        var streamed = Assert.Throws<GatewayException>(() => chat.StreamAsync(route, Hello, WithTools));

        foreach (var error in new[] { completed, streamed })
        {
            Assert.Equal(GatewayErrorCodes.ToolsNotSupported, error.ErrorCode);
            Assert.Equal("tiny", error.Extensions["modelKey"]);
            Assert.Equal("onnx", error.Extensions["provider"]);
        }
    }
}
