using System.Collections.Concurrent;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Onnx.Generation.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Gateway.Onnx.Generation;

/// <summary>
/// The local generation models of this gateway: each model folder is loaded once, on first use, and
/// shared by every route and request that names it; all of them are unloaded when the container is
/// disposed. Registered by <c>AddOnnxGeneration()</c>.
/// </summary>
public sealed class OnnxGenerationModels : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<OnnxGenerationModel>>> _models = new(StringComparer.Ordinal);
    private readonly IOptions<OnnxGenerationOptions> _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private volatile bool _disposed;

    internal OnnxGenerationModels(IOptions<OnnxGenerationOptions> options, ILogger<OnnxGenerationModels> logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
    }

    /// <summary>Raised with the model folder (full path) each time a model has loaded, on the loading thread.</summary>
    internal event Action<string>? ModelLoaded;

    /// <summary>The facts of every model loaded so far.</summary>
    public IReadOnlyList<OnnxModelFacts> Loaded =>
        _models.Values
            .Where(entry => entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
            .Select(entry => entry.Value.Result.Facts)
            .OrderBy(facts => facts.ModelFolder, StringComparer.Ordinal)
            .ToList();

    /// <summary>Describes the model in <paramref name="modelFolder"/>, loading it first if no request has yet.</summary>
    /// <exception cref="GatewayException">The model cannot be loaded (<see cref="OnnxGenerationErrorCodes.ModelLoadFailed"/>).</exception>
    public async Task<OnnxModelFacts> GetFactsAsync(string modelFolder, CancellationToken cancellationToken = default) =>
        (await GetAsync(modelFolder, cancellationToken).ConfigureAwait(false)).Facts;

    /// <summary>Unloads every model, after the generation each one is running has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var entry in _models.Values.Where(entry => entry.IsValueCreated))
        {
            try
            {
                await (await entry.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (GatewayException)
            {
                // A model that failed to load has nothing to unload.
            }
        }

        _models.Clear();
    }

    /// <summary>The loaded model of a folder, if a request has loaded it.</summary>
    internal OnnxGenerationModel? TryGetLoaded(string modelFolder) =>
        _models.TryGetValue(Normalize(modelFolder), out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully
            ? entry.Value.Result
            : null;

    /// <exception cref="GatewayException">The model cannot be loaded, or the gateway is stopping.</exception>
    internal async Task<OnnxGenerationModel> GetAsync(string modelFolder, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var folder = Normalize(modelFolder);
        var entry = _models.GetOrAdd(folder, static (key, self) => new Lazy<Task<OnnxGenerationModel>>(
            () => Task.Run(() => self.Load(key)), LazyThreadSafetyMode.ExecutionAndPublication), this);
        try
        {
            // A waiter that gives up does not stop the load: the next request will want the model too.
            return await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayException)
        {
            // Forget the failure, so a request after the folder is fixed loads it again.
            _models.TryRemove(new KeyValuePair<string, Lazy<Task<OnnxGenerationModel>>>(folder, entry));
            throw;
        }
    }

    private OnnxGenerationModel Load(string folder)
    {
        try
        {
            var provider = ExecutionProviders.TryNormalize(_options.Value.ExecutionProvider) ?? OnnxGenerationOptions.Cpu;
            var model = OnnxGenerationModel.Load(folder, provider, _logger, _time);
            ModelLoaded?.Invoke(folder);
            return model;
        }
        catch (Exception ex) when (ex is OnnxRuntimeGenAIException or JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            OnnxGenerationLog.ModelLoadFailed(_logger, folder, ex);
            throw new GatewayException(
                GatewayErrorKind.UpstreamFailure,
                OnnxGenerationErrorCodes.ModelLoadFailed,
                $"The local model '{Path.GetFileName(folder)}' could not be loaded: {ex.Message}",
                new Dictionary<string, object?> { ["modelFolder"] = Path.GetFileName(folder) },
                ex);
        }
    }

    /// <summary>The form a model folder is known by: a full path without a trailing separator.</summary>
    internal static string Normalize(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder.Trim()));
}
