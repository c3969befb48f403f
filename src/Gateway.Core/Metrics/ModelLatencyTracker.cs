using System.Collections.Concurrent;
using Gateway.Core.Configuration;
using Gateway.Core.Routing;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Metrics;

/// <summary>
/// One <see cref="ModelLatencyWindow"/> per route, sized by <c>MODEL_LATENCY_WINDOW_SECONDS</c> and
/// <c>MODEL_LATENCY_MAX_SAMPLES</c>. The metrics middleware records into it; <c>/api/models</c> reads it.
/// </summary>
public sealed class ModelLatencyTracker
{
    private readonly ConcurrentDictionary<RouteKey, ModelLatencyWindow> _windows = new();
    private readonly TimeSpan _window;
    private readonly int _sampleLimit;
    private readonly TimeProvider _time;

    /// <summary>Creates the tracker from the gateway's options.</summary>
    public ModelLatencyTracker(IOptions<GatewayOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _window = TimeSpan.FromSeconds(options.Value.ModelLatencyWindowSeconds);
        _sampleLimit = options.Value.ModelLatencyMaxSamples;
        _time = time;
    }

    /// <summary>The route's window, created empty the first time it is asked for.</summary>
    public ModelLatencyWindow For(RouteKey key) =>
        _windows.GetOrAdd(key, static (_, self) => new ModelLatencyWindow(self._window, self._sampleLimit, self._time), this);
}
