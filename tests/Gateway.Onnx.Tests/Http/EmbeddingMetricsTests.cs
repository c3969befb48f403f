using System.Net;
using System.Text;
using Gateway.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Onnx.Tests.Http;

/// <summary>Embedding requests show up on <c>/metrics</c>: texts, tokens and a duration per model and status.</summary>
public sealed class EmbeddingMetricsTests
{
    [Fact]
    public async Task Metrics_AfterEmbeddings_CountTextsAndTokensAndTimeTheRequests()
    {
        await using var gateway = await GatewayTestHost.StartAsync(
            new Dictionary<string, string?> { ["ONNX_EXECUTION_PROVIDER"] = "cpu" },
            builder => builder.AddOnnxEmbeddings());

        using var three = await PostAsync(gateway, """{"input":["cat","kitten","stock market"]}""");
        using var one = await PostAsync(gateway, """{"input":"dog"}""");
        using var refused = await PostAsync(gateway, """{"input":[""]}""");
        Assert.Equal(HttpStatusCode.OK, three.StatusCode);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var metrics = await gateway.Client.GetStringAsync("metrics");
        var lines = metrics.Split('\n');

        Assert.Contains("gateway_embedding_inputs_total{model=\"all-MiniLM-L6-v2\"} 4", lines);
        // cat, kitten, stock market and dog are one word-piece each (stock market two), with [CLS] and [SEP].
        Assert.Contains("gateway_embedding_tokens_total{model=\"all-MiniLM-L6-v2\"} 13", lines);
        // A request refused before the model runs is not an embedding request.
        Assert.Contains(lines, line => line.StartsWith("gateway_embedding_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains("model=\"all-MiniLM-L6-v2\"", StringComparison.Ordinal)
            && line.Contains("status=\"ok\"", StringComparison.Ordinal)
            && line.EndsWith(" 2", StringComparison.Ordinal));
        Assert.Contains("# TYPE gateway_embedding_duration_seconds histogram", lines);
    }

    private static Task<HttpResponseMessage> PostAsync(GatewayTestHost gateway, string json) =>
        gateway.Client.PostAsync("api/embeddings", new StringContent(json, Encoding.UTF8, "application/json"));
}
