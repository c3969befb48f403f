namespace Gateway.Onnx.Generation;

/// <summary>
/// The stable <c>errorCode</c>s of local generation failures, in addition to Core's
/// <see cref="Gateway.Core.Errors.GatewayErrorCodes"/>. Both are HTTP 502: the local model plays the
/// part an upstream server plays for the other providers.
/// </summary>
public static class OnnxGenerationErrorCodes
{
    /// <summary>ONNX Runtime GenAI could not load the route's model folder (a broken model file or configuration, a missing data file).</summary>
    public const string ModelLoadFailed = "local_model_load_failed";

    /// <summary>The model failed while generating (ONNX Runtime reported an error mid-answer).</summary>
    public const string GenerationFailed = "local_generation_failed";
}
