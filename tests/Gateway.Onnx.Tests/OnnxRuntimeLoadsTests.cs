using Microsoft.ML.OnnxRuntime;

namespace Gateway.Onnx.Tests;

public sealed class OnnxRuntimeLoadsTests
{
    [Fact]
    public void The_native_runtime_offers_the_cpu_provider()
    {
        Assert.Contains("CPUExecutionProvider", OrtEnv.Instance().GetAvailableProviders());
    }
}
