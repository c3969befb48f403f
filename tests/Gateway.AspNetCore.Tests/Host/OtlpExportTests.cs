using System.Net;
using System.Text;
using Gateway.TestUpstream;

namespace Gateway.AspNetCore.Tests.Host;

/// <summary>
/// The sample host as a real process with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set: one chat request through a route
/// reaches an OTLP/HTTP receiver as a trace with the GenAI span, and as metrics with the GenAI histograms.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private const string Model = "otlp-model";
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-otlp-").FullName;
    private TestUpstreamServer _upstream = null!;
    private OtlpReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstreamServer.StartAsync();
        _receiver = await OtlpReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _upstream.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Host_WithAnOtlpEndpoint_ExportsTheChatSpanAndGenAIMetrics()
    {
        using var host = await SampleHostProcess.StartAsync(_folder, new Dictionary<string, string>
        {
            ["GATEWAY_DB"] = Path.Combine(_folder, "gateway.db"),
            ["MODEL_ROUTE_MAIN"] = $"openai|{_upstream.OpenAIBaseAddress}|{Model}",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });

        using var response = await host.Client.PostAsync(
            "v1/chat/completions",
            new StringContent("""{"model":"main","messages":[{"role":"user","content":"Hello"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(
            await _receiver.WaitForExportAsync("/v1/traces", ExportWait, $"chat {Model}", "gen_ai.operation.name", "gen_ai.usage.output_tokens", "gateway"),
            $"No trace with the chat span arrived (exports: {string.Join(", ", _receiver.Paths)}). Host output:\n{host.Output}");
        Assert.True(
            await _receiver.WaitForExportAsync("/v1/metrics", ExportWait, "gen_ai.client.operation.duration", "gen_ai.client.token.usage", "gateway.requests"),
            $"No metrics with the GenAI histograms arrived (exports: {string.Join(", ", _receiver.Paths)}). Host output:\n{host.Output}");
    }
}
