using Gateway.Core.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Gateway.Core.Routing.Internal;

/// <summary>
/// One deployment's live state: its circuit breaker (Polly, on the gateway's <see cref="TimeProvider"/>),
/// the requests it is serving now, and until when it cools down after it opened.
/// </summary>
internal sealed partial class DeploymentSlot
{
    /// <summary>How far back the breaker looks: it opens when its last calls in this window all failed.</summary>
    public static readonly TimeSpan SamplingWindow = TimeSpan.FromSeconds(30);

    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly TimeProvider _time;
    private int _outstanding;
    private long _coolingDownUntilTicks;

    public DeploymentSlot(RouteKey route, ModelDeployment deployment, DeploymentBalancingSettings settings, TimeProvider time, ILogger logger)
    {
        Deployment = deployment;
        _time = time;
        Breaker = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = settings.FailureThreshold,
                SamplingDuration = SamplingWindow,
                BreakDuration = settings.CoolDown,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } exception && FailoverPolicy.ShouldFailOver(exception)),
                StateProvider = _circuit,
                OnOpened = args =>
                {
                    var until = _time.GetUtcNow() + args.BreakDuration;
                    Volatile.Write(ref _coolingDownUntilTicks, until.UtcTicks);
                    LogOpened(logger, route.Value, deployment.Index + 1, Describe(deployment), settings.FailureThreshold, args.BreakDuration.TotalSeconds, until);
                    return default;
                },
                OnClosed = _ =>
                {
                    Volatile.Write(ref _coolingDownUntilTicks, 0);
                    LogClosed(logger, route.Value, deployment.Index + 1, Describe(deployment));
                    return default;
                },
            })
            .Build();
    }

    public ModelDeployment Deployment { get; }

    /// <summary>Runs one call, or throws <see cref="BrokenCircuitException"/> while the deployment cools down (or another call is trying it half-open).</summary>
    public ResiliencePipeline Breaker { get; }

    public int Outstanding => Volatile.Read(ref _outstanding);

    public void Enter() => Interlocked.Increment(ref _outstanding);

    public void Leave() => Interlocked.Decrement(ref _outstanding);

    /// <summary>Open and still inside its cool-down: not worth asking.</summary>
    public bool IsCoolingDown(DateTimeOffset now) => CoolingDownUntil(now) is not null;

    public DeploymentStatus Status(DateTimeOffset now)
    {
        var until = CoolingDownUntil(now);
        var state = _circuit.CircuitState switch
        {
            CircuitState.Closed => DeploymentCircuitState.Closed,
            _ when until is not null => DeploymentCircuitState.Open,
            _ => DeploymentCircuitState.HalfOpen,
        };
        return new DeploymentStatus(Deployment, state, Outstanding, until);
    }

    /// <summary>The endpoint as logs may show it: no user-info, no query.</summary>
    public static string Describe(ModelDeployment deployment) =>
        Uri.TryCreate(deployment.Endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : deployment.Endpoint;

    private DateTimeOffset? CoolingDownUntil(DateTimeOffset now)
    {
        if (_circuit.CircuitState is CircuitState.Closed or CircuitState.HalfOpen)
        {
            return null;
        }

        var ticks = Volatile.Read(ref _coolingDownUntilTicks);
        return ticks > now.UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Route '{ModelKey}' deployment {Deployment} ({Endpoint}) failed its last {Failures} calls; it cools down for {CoolDownSeconds:0.#} s, until {Until:O}.")]
    private static partial void LogOpened(ILogger logger, string modelKey, int deployment, string endpoint, int failures, double coolDownSeconds, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Route '{ModelKey}' deployment {Deployment} ({Endpoint}) answered again; it takes requests again.")]
    private static partial void LogClosed(ILogger logger, string modelKey, int deployment, string endpoint);
}
