namespace Gateway.Onnx;

/// <summary>Where an ONNX model should run (<c>ONNX_EXECUTION_PROVIDER</c>).</summary>
public enum OnnxExecutionProvider
{
    /// <summary>CUDA when the host ships ONNX Runtime's GPU build and it works here, else the CPU (the default).</summary>
    Auto,

    /// <summary>Always the CPU.</summary>
    Cpu,

    /// <summary>CUDA; when it cannot start (no GPU build, no GPU, missing CUDA libraries) the model runs on the CPU and one warning says why.</summary>
    Cuda,
}
