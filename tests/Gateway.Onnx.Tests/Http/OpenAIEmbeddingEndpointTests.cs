using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Onnx.Tests.Infrastructure;
using OpenAI;
using OpenAI.Embeddings;

namespace Gateway.Onnx.Tests.Http;

/// <summary><c>POST /v1/embeddings</c> checked with the official OpenAI .NET client, unchanged, pointed at the gateway on loopback.</summary>
public sealed class OpenAIEmbeddingEndpointTests(EmbeddingsHostFixture fixture) : IClassFixture<EmbeddingsHostFixture>
{
    private EmbeddingClient Client(string model) => new(
        model,
        new ApiKeyCredential(EmbeddingsHostFixture.ApiKey),
        new OpenAIClientOptions { Endpoint = new Uri(fixture.Host.BaseAddress, "v1") });

    [Fact]
    public async Task GenerateEmbeddings_OfficialClient_GetsTheModelsVectorsInOrder()
    {
        string[] inputs = ["cat", "kitten", "The stock market crashed today."];

        OpenAIEmbeddingCollection embeddings = await Client("all-MiniLM-L6-v2").GenerateEmbeddingsAsync(inputs);

        var expected = await MiniLM.Generator.EmbedAsync(inputs);
        Assert.Equal(3, embeddings.Count);
        Assert.Equal("all-MiniLM-L6-v2", embeddings.Model);
        Assert.Equal(3 + 3 + 8, embeddings.Usage.InputTokenCount);
        Assert.Equal(embeddings.Usage.InputTokenCount, embeddings.Usage.TotalTokenCount);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(i, embeddings[i].Index);
            var vector = embeddings[i].ToFloats().ToArray();
            Assert.Equal(384, vector.Length);

            // The client asks for base64 by default: the float32 bytes travel unchanged.
            Assert.Equal(expected[i], vector);
        }
    }

    [Fact]
    public async Task GenerateEmbedding_OfficialClientWithTheModelsDimensions_Succeeds()
    {
        OpenAIEmbedding embedding = await Client("ALL-MINILM-L6-V2").GenerateEmbeddingAsync("cat", new EmbeddingGenerationOptions { Dimensions = 384 });

        Assert.Equal(384, embedding.ToFloats().Length);
    }

    [Fact]
    public async Task GenerateEmbedding_OtherDimensions_IsOpenAIError400()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            Client("all-MiniLM-L6-v2").GenerateEmbeddingAsync("cat", new EmbeddingGenerationOptions { Dimensions = 128 }));

        Assert.Equal(400, error.Status);
        Assert.Contains("384", error.Message);
    }

    [Fact]
    public async Task GenerateEmbedding_UnknownModel_IsOpenAIError404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client("text-embedding-3-small").GenerateEmbeddingAsync("cat"));

        Assert.Equal(404, error.Status);
        Assert.Contains("text-embedding-3-small", error.Message);
    }

    [Fact]
    public async Task Embed_FloatFormat_ReturnsOpenAIsListShape()
    {
        using var response = await PostAsync("""{"model":"all-MiniLM-L6-v2","input":["cat","dog"],"encoding_format":"float"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        Assert.Equal("all-MiniLM-L6-v2", root.GetProperty("model").GetString());
        Assert.Equal(6, root.GetProperty("usage").GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(6, root.GetProperty("usage").GetProperty("total_tokens").GetInt64());
        var first = root.GetProperty("data")[0];
        Assert.Equal("embedding", first.GetProperty("object").GetString());
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        var vector = first.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal((await MiniLM.Generator.EmbedAsync("cat"))[0], vector);
    }

    [Fact]
    public async Task Embed_UnknownModel_CarriesOpenAIsErrorObjectAndTheProblem()
    {
        using var response = await PostAsync("""{"model":"nope","input":"cat"}""");

        var problem = await ApiEmbeddingEndpointTests.ProblemAsync(response, HttpStatusCode.NotFound, GatewayErrorCodes.EmbeddingModelNotFound);
        var error = problem.GetProperty("error");
        Assert.Equal("not_found_error", error.GetProperty("type").GetString());
        Assert.Equal(GatewayErrorCodes.EmbeddingModelNotFound, error.GetProperty("code").GetString());
        Assert.Contains("nope", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"input":"cat","encoding_format":"int8"}""", HttpStatusCode.BadRequest, GatewayErrorCodes.InvalidRequest)]
    [InlineData("""{"input":[1,2,3]}""", HttpStatusCode.BadRequest, GatewayErrorCodes.MalformedRequest)]
    [InlineData("""{"input":"cat","dimensions":"384"}""", HttpStatusCode.BadRequest, GatewayErrorCodes.MalformedRequest)]
    [InlineData("""{"input":[]}""", HttpStatusCode.BadRequest, GatewayErrorCodes.InvalidRequest)]
    [InlineData("""{"input":["1","2","3","4","5","6","7","8","9"]}""", HttpStatusCode.RequestEntityTooLarge, GatewayErrorCodes.TooManyEmbeddingInputs)]
    public async Task Embed_BadRequest_IsOpenAIErrorWithStableCode(string json, HttpStatusCode status, string errorCode)
    {
        using var response = await PostAsync(json);

        var problem = await ApiEmbeddingEndpointTests.ProblemAsync(response, status, errorCode);
        Assert.Equal("invalid_request_error", problem.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Embed_DefaultModelWhenNoneIsNamed()
    {
        using var response = await PostAsync("""{"input":"cat"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("all-MiniLM-L6-v2", body.RootElement.GetProperty("model").GetString());
    }

    private Task<HttpResponseMessage> PostAsync(string json) =>
        fixture.Client.PostAsync("v1/embeddings", new StringContent(json, Encoding.UTF8, "application/json"));
}
