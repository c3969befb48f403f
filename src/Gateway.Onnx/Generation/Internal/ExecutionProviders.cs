namespace Gateway.Onnx.Generation.Internal;

/// <summary>The execution providers a route's model can be asked to run on.</summary>
internal static class ExecutionProviders
{
    /// <returns><see cref="OnnxGenerationOptions.Cpu"/>, <see cref="OnnxGenerationOptions.Cuda"/>, or <see langword="null"/> for anything else.</returns>
    public static string? TryNormalize(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        OnnxGenerationOptions.Auto => OnnxGenerationOptions.Auto,
        OnnxGenerationOptions.Cpu => OnnxGenerationOptions.Cpu,
        OnnxGenerationOptions.Cuda => OnnxGenerationOptions.Cuda,
        _ => null,
    };
}
