using Gateway.Onnx.Internal;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>The execution providers a route's model can be asked to run on.</summary>
internal static class ExecutionProviders
{
    /// <returns><see cref="OnnxGenerationOptions.Auto"/>, <see cref="OnnxGenerationOptions.Cpu"/>, <see cref="OnnxGenerationOptions.Cuda"/>, or <see langword="null"/> for anything else.</returns>
    public static string? TryNormalize(string? value) =>
        OnnxExecutionProviderSetting.TryParse(value, out var provider) ? provider.ToString().ToLowerInvariant() : null;
}
