using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Onnx.Embeddings;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Onnx.Tests.Http;

/// <summary>
/// One real gateway on loopback with the bundled model and a second name for the same folder, shared by the
/// endpoint tests (each host loads its models once, at start-up). Limits are small so the tests can exceed them.
/// </summary>
public sealed class EmbeddingsHostFixture : IAsyncLifetime
{
    public const string ApiKey = "sk-embeddings-test";
    public const int MaxInputs = 8;
    public const int MaxInputCharacters = 2000;

    public GatewayTestHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync()
    {
        Host = await GatewayTestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["GATEWAY_API_KEYS"] = ApiKey,
                ["EMBEDDING_MAX_INPUTS"] = MaxInputs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["EMBEDDING_MAX_INPUT_CHARS"] = MaxInputCharacters.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["EMBEDDING_MODEL_minilm_copy"] = BundledEmbeddingModel.Folder,
                ["ONNX_EXECUTION_PROVIDER"] = "cpu",
            },
            gateway => gateway.AddOnnxEmbeddings());
        Host.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
