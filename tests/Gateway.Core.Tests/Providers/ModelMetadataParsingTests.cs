using System.Text;
using System.Text.Json;
using Gateway.Core.Providers.Ollama;
using Gateway.Core.Providers.OpenAI;

namespace Gateway.Core.Tests.Providers;

/// <summary>Answers of real servers that the test upstream does not produce.</summary>
public sealed class ModelMetadataParsingTests
{
    [Fact]
    public void OpenAIParse_VllmMaxModelLen_IsTheContextLength()
    {
        var report = OpenAICompatibleModelMetadataSource.Parse(
            Encoding.UTF8.GetBytes("""{"object":"list","data":[{"id":"Qwen/Qwen2.5-7B-Instruct","object":"model","created":1,"owned_by":"vllm","root":"Qwen/Qwen2.5-7B-Instruct","max_model_len":32768}]}"""),
            "Qwen/Qwen2.5-7B-Instruct");

        Assert.True(report.Available);
        Assert.Equal(32768, report.ContextLength);
        Assert.Equal("vllm", report.Details["ownedBy"]);
        Assert.Null(report.Capabilities);
    }

    [Fact]
    public void OpenAIParse_LlamaCppMeta_GivesTrainedContextAndParameterCount()
    {
        var report = OpenAICompatibleModelMetadataSource.Parse(
            Encoding.UTF8.GetBytes("""{"object":"list","data":[{"id":"model.gguf","object":"model","owned_by":"llamacpp","meta":{"vocab_type":2,"n_vocab":128256,"n_ctx_train":131072,"n_embd":4096,"n_params":8030261248,"size":4912898304}}]}"""),
            "MODEL.gguf");

        Assert.True(report.Available);
        Assert.Equal(131072, report.ContextLength);
        Assert.Equal("8030261248", report.Details["parameterCount"]);
    }

    [Fact]
    public void OpenAIParse_NoDataArray_IsRejected()
    {
        Assert.Throws<InvalidOperationException>(() => OpenAICompatibleModelMetadataSource.Parse("""{"models":[]}"""u8, "m"));
        Assert.ThrowsAny<JsonException>(() => OpenAICompatibleModelMetadataSource.Parse("not json"u8, "m"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8000", "http://127.0.0.1:8000/v1/models")]
    [InlineData("http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000/v1/models")]
    [InlineData("https://example.com/openai/v1", "https://example.com/openai/v1/models")]
    public void OpenAIModelsUri_FollowsTheChatBaseUrlRule(string baseUrl, string expected) =>
        Assert.Equal(expected, OpenAICompatibleModelMetadataSource.ModelsUri(new Uri(baseUrl)).ToString());

    [Fact]
    public void OllamaParse_NoArchitecture_FindsAnyContextLengthAndLeavesMissingPartsOut()
    {
        var report = OllamaModelMetadataSource.Parse(
            """{"details":{"format":"gguf","family":"","parameter_size":"","quantization_level":"F16"},"model_info":{"bert.context_length":2048}}"""u8);

        Assert.Equal(2048, report.ContextLength);
        Assert.Equal("F16", report.Quantization?.Level);
        Assert.Null(report.Quantization?.Family);
        Assert.Null(report.Capabilities);
        Assert.False(report.Details.ContainsKey("upstreamCapabilities"));
    }

    [Fact]
    public void OllamaParse_NotAnObject_IsRejected() =>
        Assert.Throws<InvalidOperationException>(() => OllamaModelMetadataSource.Parse("[]"u8));
}
