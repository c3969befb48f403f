using System.Net;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Onnx.Embeddings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Onnx.Tests.Http;

/// <summary>A bad embedding setting stops start-up with a message naming the variable; without embeddings the endpoints do not exist.</summary>
public sealed class EmbeddingStartupTests
{
    [Theory]
    [InlineData("EMBEDDING_MAX_INPUTS", "lots", "EMBEDDING_MAX_INPUTS: expected a whole number")]
    [InlineData("EMBEDDING_MAX_INPUTS", "0", "EMBEDDING_MAX_INPUTS: expected a whole number from 1 to 100000")]
    [InlineData("EMBEDDING_MAX_INPUT_CHARS", "-5", "EMBEDDING_MAX_INPUT_CHARS: expected a whole number from 1")]
    [InlineData("ONNX_EXECUTION_PROVIDER", "tpu", "ONNX_EXECUTION_PROVIDER: expected auto, cpu or cuda, got 'tpu'")]
    [InlineData("EMBEDDING_BATCH_SIZE", "0", "EMBEDDING_BATCH_SIZE: expected a whole number from 1 to 1024")]
    [InlineData("ONNX_INTRA_OP_THREADS", "two", "ONNX_INTRA_OP_THREADS: expected a whole number")]
    [InlineData("EMBEDDING_MODEL_MINE", "/nonexistent/model", "EMBEDDING_MODEL_MINE: the folder '/nonexistent/model' does not exist")]
    [InlineData("DEFAULT_EMBEDDING_MODEL", "nope", "DEFAULT_EMBEDDING_MODEL: 'nope' is not an embedding model of this gateway; expected one of: all-MiniLM-L6-v2")]
    public async Task Start_BadSetting_StopsNamingTheVariable(string variable, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            GatewayTestHost.StartAsync(new Dictionary<string, string?> { [variable] = value }, gateway => gateway.AddOnnxEmbeddings()));

        Assert.Contains(error.Failures, failure => failure.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_BrokenModelFile_StopsNamingTheModel()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-onnx-broken-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "model.onnx"), "not a model");
            File.Copy(Path.Combine(BundledEmbeddingModel.Folder, "vocab.txt"), Path.Combine(folder, "vocab.txt"));

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
                GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["EMBEDDING_MODEL_BROKEN"] = folder }, gateway => gateway.AddOnnxEmbeddings()));

            Assert.Contains(error.Failures, failure => failure.Contains("Embedding model 'BROKEN'", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Start_WithoutEmbeddings_MapsNoEmbeddingEndpoints()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>());

        using var api = await host.Client.PostAsync("api/embeddings", new StringContent("""{"input":"cat"}""", System.Text.Encoding.UTF8, "application/json"));
        using var openAI = await host.Client.PostAsync("v1/embeddings", new StringContent("""{"input":"cat"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, openAI.StatusCode);
    }
}
