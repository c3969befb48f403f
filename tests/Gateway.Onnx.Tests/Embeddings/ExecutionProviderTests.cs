using Gateway.Onnx.Embeddings;
using Gateway.Onnx.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gateway.Onnx.Tests.Embeddings;

/// <summary>This machine has ONNX Runtime's CPU build and no GPU: CUDA requests fall back to the CPU and say why, once.</summary>
public sealed class ExecutionProviderTests
{
    [Fact]
    public async Task Load_CudaRequestedWithoutGpu_RunsOnCpuAndLogsTheReasonOnce()
    {
        var logger = new ListLogger();

        using var generator = BundledEmbeddingModel.Load(new OnnxEmbeddingModelOptions { ExecutionProvider = OnnxExecutionProvider.Cuda }, logger);

        Assert.Equal("cpu", generator.ExecutionProvider);
        Assert.Equal("cpu", generator.Info.ExecutionProvider);
        Assert.False(string.IsNullOrWhiteSpace(generator.ExecutionProviderFallbackReason));
        var warning = Assert.Single(logger.Lines, line => line.Level == LogLevel.Warning);
        Assert.Contains("CPU", warning.Message);
        Assert.Contains("ONNX_EXECUTION_PROVIDER=cuda", warning.Message);
        Assert.Contains(generator.ExecutionProviderFallbackReason!, warning.Message);
        Assert.DoesNotContain('\n', warning.Message);

        // And it still computes the model's vectors.
        var vectors = await generator.EmbedAsync("cat");
        var expected = await MiniLM.Generator.EmbedAsync("cat");
        Assert.True(MiniLM.Cosine(expected[0], vectors[0]) >= 0.99999f);
    }

    [Theory]
    [InlineData(OnnxExecutionProvider.Auto)]
    [InlineData(OnnxExecutionProvider.Cpu)]
    public void Load_AutoOrCpuWithTheCpuBuild_RunsOnCpuWithoutWarning(OnnxExecutionProvider provider)
    {
        var logger = new ListLogger();

        using var generator = BundledEmbeddingModel.Load(new OnnxEmbeddingModelOptions { ExecutionProvider = provider }, logger);

        Assert.Equal("cpu", generator.ExecutionProvider);
        Assert.Null(generator.ExecutionProviderFallbackReason);
        Assert.DoesNotContain(logger.Lines, line => line.Level >= LogLevel.Warning);
        Assert.Contains(logger.Lines, line => line.Level == LogLevel.Information && line.Message.Contains("on cpu"));
    }
}
