using Microsoft.Extensions.Logging;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>The log lines of local generation.</summary>
internal static partial class OnnxGenerationLog
{
    [LoggerMessage(1, LogLevel.Information, "Loaded ONNX model {ModelFolder} ({ModelType}, {Layers} layers, context {ContextLength}) on {ExecutionProvider} in {ElapsedMilliseconds} ms; chat template: {ChatTemplate}.")]
    public static partial void ModelLoaded(ILogger logger, string modelFolder, string modelType, int layers, int contextLength, string executionProvider, long elapsedMilliseconds, OnnxChatTemplateSource chatTemplate);

    [LoggerMessage(2, LogLevel.Warning, "ONNX_EXECUTION_PROVIDER=cuda but CUDA is not available for {ModelFolder} ({Reason}); running it on the CPU.")]
    public static partial void CudaUnavailable(ILogger logger, string modelFolder, string reason);

    [LoggerMessage(3, LogLevel.Warning, "The chat template of {ModelFolder} cannot be rendered by ONNX Runtime GenAI ({Reason}); using the ChatML fallback template.")]
    public static partial void ChatTemplateUnusable(ILogger logger, string modelFolder, string reason);

    [LoggerMessage(4, LogLevel.Error, "Loading the ONNX model {ModelFolder} failed.")]
    public static partial void ModelLoadFailed(ILogger logger, string modelFolder, Exception exception);

    [LoggerMessage(5, LogLevel.Error, "Generation with the ONNX model {ModelFolder} failed.")]
    public static partial void GenerationFailed(ILogger logger, string modelFolder, Exception exception);

    [LoggerMessage(6, LogLevel.Trace, "Prompt for {ModelFolder} ({PromptTokens} tokens): {Prompt}")]
    public static partial void Prompt(ILogger logger, string modelFolder, int promptTokens, string prompt);
}
