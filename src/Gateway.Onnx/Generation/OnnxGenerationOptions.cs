namespace Gateway.Onnx.Generation;

/// <summary>
/// Settings of local text generation. Read from <c>ONNX_EXECUTION_PROVIDER</c> (environment form) or
/// <c>Gateway:Onnx:ExecutionProvider</c> (appsettings form; the environment wins), then from any
/// <c>Configure&lt;OnnxGenerationOptions&gt;</c> of the application; validated at start-up.
/// </summary>
public sealed class OnnxGenerationOptions
{
    /// <summary>The environment variable that picks the execution provider.</summary>
    public const string ExecutionProviderVariable = OnnxEnvironmentVariables.ExecutionProvider;

    /// <summary>The appsettings key that picks the execution provider.</summary>
    public const string ExecutionProviderKey = Gateway.Onnx.Internal.OnnxExecutionProviderSetting.Key;

    /// <summary>
    /// The default, shared with the embedding models that read the same setting: for generation it is the
    /// CPU, because the <c>Microsoft.ML.OnnxRuntimeGenAI</c> package the gateway ships is the CPU build;
    /// ask for <see cref="Cuda"/> explicitly where the CUDA build of GenAI is installed.
    /// </summary>
    public const string Auto = "auto";

    /// <summary>Run on the CPU (what the <c>Microsoft.ML.OnnxRuntimeGenAI</c> package supports).</summary>
    public const string Cpu = "cpu";

    /// <summary>
    /// Run on an NVIDIA GPU when the CUDA build of ONNX Runtime GenAI (<c>Microsoft.ML.OnnxRuntimeGenAI.Cuda</c>)
    /// and CUDA are installed; otherwise each model falls back to the CPU with one warning.
    /// </summary>
    public const string Cuda = "cuda";

    /// <summary><see cref="Auto"/>, <see cref="Cpu"/> or <see cref="Cuda"/> (case-insensitive).</summary>
    public string ExecutionProvider { get; set; } = Auto;
}
