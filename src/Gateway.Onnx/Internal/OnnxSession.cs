using Microsoft.ML.OnnxRuntime;

namespace Gateway.Onnx.Internal;

/// <summary>A loaded model and where it actually runs.</summary>
/// <param name="Session">The model's one session, shared by every caller (ONNX Runtime's <c>Run</c> is thread-safe).</param>
/// <param name="ExecutionProvider">Where it runs: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="FallbackReason">Why CUDA was requested but not used; <see langword="null"/> when nothing fell back.</param>
internal sealed record OnnxSession(InferenceSession Session, string ExecutionProvider, string? FallbackReason);
