using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Gateway.Onnx.Internal;

/// <summary>
/// Creates a model's session on the requested execution provider. CUDA is tried when requested, or under
/// <see cref="OnnxExecutionProvider.Auto"/> when ONNX Runtime's GPU build is present; when it cannot start
/// (no GPU build, no device, a missing CUDA library such as <c>libcublasLt.so.13</c>) the model is loaded
/// again with fresh options on the CPU and one warning says why.
/// </summary>
internal static partial class OnnxSessionFactory
{
    /// <summary>Where a model runs on the CPU, as <c>GET /api/models</c> and the setting spell it.</summary>
    public const string Cpu = "cpu";

    /// <summary>Where a model runs on an NVIDIA GPU, as <c>GET /api/models</c> and the setting spell it.</summary>
    public const string Cuda = "cuda";

    private const string OrtCudaProvider = "CUDAExecutionProvider";

    /// <summary>Whether the ONNX Runtime build the host ships offers CUDA at all.</summary>
    public static bool CudaBuildPresent => OrtEnv.Instance().GetAvailableProviders().Contains(OrtCudaProvider);

    /// <param name="modelPath">The <c>.onnx</c> file.</param>
    /// <param name="requested">Where it should run.</param>
    /// <param name="createOptions">Makes fresh session options (threads, optimisation level); called again for the CPU after a failed CUDA attempt, since options that saw a failed provider are not reused.</param>
    /// <param name="modelName">The model's name, for the log line.</param>
    /// <param name="logger">Gets the one warning when CUDA falls back to the CPU.</param>
    public static OnnxSession Create(
        string modelPath, OnnxExecutionProvider requested, Func<SessionOptions> createOptions, string modelName, ILogger logger)
    {
        if (requested == OnnxExecutionProvider.Cuda || (requested == OnnxExecutionProvider.Auto && CudaBuildPresent))
        {
            var options = createOptions();
            try
            {
                options.AppendExecutionProvider_CUDA(0);
                return new OnnxSession(new InferenceSession(modelPath, options), Cuda, null);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                var reason = FirstLine(ex.Message);
                LogCudaFallback(logger, modelName, requested.ToString().ToLowerInvariant(), reason);
                using var cpuOptions = createOptions();
                return new OnnxSession(new InferenceSession(modelPath, cpuOptions), Cpu, reason);
            }
            finally
            {
                options.Dispose();
            }
        }

        using var plain = createOptions();
        return new OnnxSession(new InferenceSession(modelPath, plain), Cpu, null);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "ONNX model '{Model}' runs on the CPU: CUDA was tried (ONNX_EXECUTION_PROVIDER={Requested}) but could not start: {Reason}")]
    private static partial void LogCudaFallback(ILogger logger, string model, string requested, string reason);
}
