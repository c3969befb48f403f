using System.Buffers;

namespace Gateway.TestUpstream.Internal;

/// <summary>The fake's one model, described in each provider's catalogue format.</summary>
internal static class ModelCatalog
{
    public static ReadOnlySpan<byte> OpenAIModels =>
        """{"object":"list","data":[{"id":"test-model","object":"model","created":0,"owned_by":"test"}]}"""u8;

    public static ReadOnlySpan<byte> OllamaTags =>
        """{"models":[{"name":"test-model:latest","model":"test-model:latest","modified_at":"2024-01-01T00:00:00Z","size":1234,"digest":"abc","details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"1B","quantization_level":"Q4_K_M"}}]}"""u8;

    public static ReadOnlySpan<byte> OllamaShow =>
        """{"modelfile":"","parameters":"","template":"","details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"1B","quantization_level":"Q4_K_M"},"model_info":{"general.architecture":"llama","general.parameter_count":1000000000,"llama.context_length":8192},"capabilities":["completion"]}"""u8;

    public static Task WriteAsync(HttpResponse response, ReadOnlySpan<byte> json)
    {
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        response.BodyWriter.Write(json);
        return response.BodyWriter.FlushAsync().AsTask();
    }
}
