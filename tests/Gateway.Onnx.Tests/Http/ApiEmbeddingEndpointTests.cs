using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Onnx.Tests.Infrastructure;

namespace Gateway.Onnx.Tests.Http;

/// <summary><c>POST /api/embeddings</c>: its answer's shape, and a problem+json body with a stable errorCode for every bad request.</summary>
public sealed class ApiEmbeddingEndpointTests(EmbeddingsHostFixture fixture) : IClassFixture<EmbeddingsHostFixture>
{
    [Fact]
    public async Task Embed_OneString_ReturnsOneVectorOfTheDefaultModel()
    {
        using var response = await PostAsync("""{"input":"cat"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("all-MiniLM-L6-v2", root.GetProperty("model").GetString());
        Assert.Equal(384, root.GetProperty("dimensions").GetInt32());
        Assert.Equal(3, root.GetProperty("usage").GetProperty("inputTokens").GetInt64());
        var item = Assert.Single(root.GetProperty("data").EnumerateArray());
        Assert.Equal(0, item.GetProperty("index").GetInt32());
        var vector = item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var expected = (await MiniLM.Generator.EmbedAsync("cat"))[0];
        Assert.True(MiniLM.Cosine(expected, vector) >= 0.99999f);
    }

    [Fact]
    public async Task Embed_ArrayForANamedModel_ReturnsVectorsInInputOrder()
    {
        string[] inputs = ["A much longer sentence about the weather in the mountains today.", "cat", "stock market"];

        using var response = await PostAsync(JsonSerializer.Serialize(new { model = "MINILM_COPY", input = inputs }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("minilm_copy", body.RootElement.GetProperty("model").GetString());
        var expected = await MiniLM.Generator.EmbedAsync(inputs);
        var data = body.RootElement.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(3, data.Length);
        for (var i = 0; i < data.Length; i++)
        {
            Assert.Equal(i, data[i].GetProperty("index").GetInt32());
            var vector = data[i].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.True(MiniLM.Cosine(expected[i], vector) >= 0.99999f);
        }
    }

    [Fact]
    public async Task Embed_UnknownModel_Is404ListingTheModels()
    {
        using var response = await PostAsync("""{"model":"no-such-model","input":"cat"}""");

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound, GatewayErrorCodes.EmbeddingModelNotFound);
        Assert.Equal(["all-MiniLM-L6-v2", "minilm_copy"], problem.GetProperty("available").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("no-such-model", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Embed_MoreInputsThanTheLimit_Is413NamingTheLimit()
    {
        var inputs = Enumerable.Range(0, EmbeddingsHostFixture.MaxInputs + 1).Select(i => $"text {i}");

        using var response = await PostAsync(JsonSerializer.Serialize(new { input = inputs }));

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, GatewayErrorCodes.TooManyEmbeddingInputs);
        Assert.Equal(EmbeddingsHostFixture.MaxInputs, problem.GetProperty("limit").GetInt32());
        Assert.Contains("EMBEDDING_MAX_INPUTS", problem.GetProperty("detail").GetString());
        Assert.Contains($"limit of {EmbeddingsHostFixture.MaxInputs}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Embed_InputLongerThanTheLimit_Is400NamingTheLimitAndTheInput()
    {
        var inputs = new[] { "short", new string('a', EmbeddingsHostFixture.MaxInputCharacters + 1) };

        using var response = await PostAsync(JsonSerializer.Serialize(new { input = inputs }));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, GatewayErrorCodes.EmbeddingInputTooLong);
        Assert.Equal(EmbeddingsHostFixture.MaxInputCharacters, problem.GetProperty("limit").GetInt32());
        Assert.Equal("input[1]", problem.GetProperty("field").GetString());
        Assert.Contains("EMBEDDING_MAX_INPUT_CHARS", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"input":[]}""", "input")]
    [InlineData("""{"input":""}""", "input[0]")]
    [InlineData("""{"input":["ok",""]}""", "input[1]")]
    [InlineData("""{"model":"all-MiniLM-L6-v2"}""", "input")]
    [InlineData("""{"input":null}""", "input")]
    public async Task Embed_EmptyOrMissingInput_Is400NamingTheField(string json, string field)
    {
        using var response = await PostAsync(json);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, GatewayErrorCodes.InvalidRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("""{"input":5}""", "$.input")]
    [InlineData("""{"input":["a",7]}""", "$.input")]
    [InlineData("""{"input":{"text":"a"}}""", "$.input")]
    [InlineData("""{"model":12,"input":"a"}""", "$.model")]
    [InlineData("""{"input":"a" """, "$")]
    public async Task Embed_WrongTypes_Is400MalformedNamingThePath(string json, string path)
    {
        using var response = await PostAsync(json);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, GatewayErrorCodes.MalformedRequest);
        Assert.StartsWith(path, problem.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Embed_NotJson_Is415Problem()
    {
        using var response = await fixture.Client.PostAsync("api/embeddings", new StringContent("cat", Encoding.UTF8, "text/plain"));

        await ProblemAsync(response, HttpStatusCode.BadRequest, GatewayErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task Embed_WithoutApiKey_Is401()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseAddress };

        using var response = await anonymous.PostAsJsonAsync("api/embeddings", new { input = "cat" });

        await ProblemAsync(response, HttpStatusCode.Unauthorized, GatewayErrorCodes.Unauthenticated);
    }

    [Fact]
    public async Task Models_ListsEachEmbeddingModelWithWhereItRuns()
    {
        using var response = await fixture.Client.GetAsync("api/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var models = body.RootElement.GetProperty("embeddingModels").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(["all-MiniLM-L6-v2", "minilm_copy"], models.Keys.Order(StringComparer.Ordinal));
        var bundled = models["all-MiniLM-L6-v2"];
        Assert.True(bundled.GetProperty("isDefault").GetBoolean());
        Assert.False(models["minilm_copy"].GetProperty("isDefault").GetBoolean());
        Assert.Equal(384, bundled.GetProperty("dimensions").GetInt32());
        Assert.Equal("cpu", bundled.GetProperty("executionProvider").GetString());
        Assert.Equal("onnx", bundled.GetProperty("provider").GetString());
    }

    private Task<HttpResponseMessage> PostAsync(string json) =>
        fixture.Client.PostAsync("api/embeddings", new StringContent(json, Encoding.UTF8, "application/json"));

    internal static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(errorCode, problem.GetProperty("errorCode").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }
}
