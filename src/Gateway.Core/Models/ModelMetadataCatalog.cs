using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Models;

/// <summary>
/// The cached metadata of every deployment of every route. Reading it never waits on an upstream:
/// <see cref="GetDeployments"/> returns the latest snapshot of each deployment, built from what its
/// provider's <see cref="IModelMetadataSource"/> last reported of its upstream, the route's configuration
/// and the provider's defaults, in that order; <see cref="Get"/> the first deployment's, which describes
/// the route as <see cref="ModelRoute"/>'s positional members do. <see cref="RefreshAsync"/> asks every
/// upstream again; a hosted service calls it at start-up and every <c>MODEL_METADATA_REFRESH_SECONDS</c>.
/// </summary>
public sealed partial class ModelMetadataCatalog
{
    /// <summary>How long one upstream may take to describe its model before it counts as unavailable.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(15);

    private readonly RouteTable _routes;
    private readonly Dictionary<string, IModelMetadataSource> _sources;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<RouteKey, DeploymentState[]> _states = new();
    private TaskCompletionSource _nextRefresh = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _completedRefreshes;

    /// <summary>Creates the catalog; every route starts with its configured metadata and an unknown availability.</summary>
    public ModelMetadataCatalog(
        RouteTable routes,
        IEnumerable<IModelMetadataSource> sources,
        IOptions<GatewayOptions> options,
        TimeProvider time,
        ILogger<ModelMetadataCatalog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _routes = routes;
        _time = time;
        _logger = logger ?? NullLogger<ModelMetadataCatalog>.Instance;
        _sources = new Dictionary<string, IModelMetadataSource>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in sources)
        {
            _sources.TryAdd(source.Provider, source);
        }

        foreach (var route in routes.Routes)
        {
            var configured = options.Value.Routes.TryGetValue(route.Key.Value, out var routeOptions)
                ? ConfiguredMetadata.From(routeOptions)
                : ConfiguredMetadata.None;
            _states[route.Key] = route.Deployments.Select(deployment =>
            {
                // A single deployment sees the route as it is, so a source is asked about the route itself.
                var seen = route.Deployments.Count == 1 ? route : route.ForDeployment(deployment);
                var state = new DeploymentState(route, seen, configured, _sources.GetValueOrDefault(deployment.Provider));
                state.Current = state.Compose(report: null, failure: null, checkedAt: null);
                return state;
            }).ToArray();
        }
    }

    /// <summary>How many times <see cref="RefreshAsync"/> has finished.</summary>
    public int CompletedRefreshes => Volatile.Read(ref _completedRefreshes);

    /// <summary>The latest metadata of <paramref name="route"/>'s first deployment; never waits.</summary>
    /// <exception cref="GatewayException"><c>route_not_found</c>: the route is not one of the gateway's.</exception>
    public ModelMetadata Get(ModelRoute route) => GetDeployments(route)[0];

    /// <summary>The latest metadata of each of <paramref name="route"/>'s deployments, in <see cref="ModelRoute.Deployments"/> order; never waits.</summary>
    /// <exception cref="GatewayException"><c>route_not_found</c>: the route is not one of the gateway's.</exception>
    public IReadOnlyList<ModelMetadata> GetDeployments(ModelRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return StatesOf(route) is { } states
            ? Array.ConvertAll(states, state => state.Current)
            : throw RouteNotFound(route.Key.Value);
    }

    /// <summary>The latest metadata of <paramref name="route"/>'s first deployment, or none for a route the app built itself rather than configured; never waits.</summary>
    internal ModelMetadata? Find(ModelRoute route) => StatesOf(route)?[0].Current;

    /// <summary>Finds the route a client names by key, whether or not the allowlist permits it.</summary>
    /// <exception cref="GatewayException"><c>route_not_found</c> (404) listing the available keys.</exception>
    public ModelRoute GetRoute(string? key) =>
        RouteKey.TryParse(key, out var routeKey) && _routes.TryGet(routeKey, out var route)
            ? route
            : throw RouteNotFound(key);

    /// <summary>
    /// Asks every route's upstream, all at once, for its model's metadata and stores the answers. A failure
    /// marks only its route unavailable. Concurrent calls each do a full round.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_states.Values
            .SelectMany(states => states)
            .Where(state => state.Source is not null)
            .Select(state => RefreshRouteAsync(state, cancellationToken))).ConfigureAwait(false);

        Interlocked.Increment(ref _completedRefreshes);
        // Count first, then release the waiters, so a waiter that reads the old signal sees the new count.
        Interlocked.Exchange(ref _nextRefresh, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>
    /// Asks again, at once, the sources of the deployments <paramref name="routes"/> selects, each given as the
    /// route that deployment sees (the route's key, the deployment's provider, endpoint and model): for a
    /// provider whose model's state just changed (a local model that has loaded). Not a full round: it does
    /// not count towards <see cref="CompletedRefreshes"/>.
    /// </summary>
    public Task RefreshRoutesAsync(Func<ModelRoute, bool> routes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return Task.WhenAll(_states.Values
            .SelectMany(states => states)
            .Where(state => state.Source is not null && routes(state.Route))
            .Select(state => RefreshRouteAsync(state, cancellationToken)));
    }

    /// <summary>Completes once <see cref="RefreshAsync"/> has finished at least <paramref name="count"/> times in all.</summary>
    public async Task WaitForRefreshesAsync(int count, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _nextRefresh).Task;
            if (CompletedRefreshes >= count)
            {
                return;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private DeploymentState[]? StatesOf(ModelRoute route) =>
        _states.TryGetValue(route.Key, out var states) && states[0].Owner == route ? states : null;

    private async Task RefreshRouteAsync(DeploymentState state, CancellationToken cancellationToken)
    {
        ModelMetadataReport? report = null;
        string? failure = null;
        using var timeout = new CancellationTokenSource(FetchTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            report = await state.Source!.FetchAsync(state.Route, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever a source throws is its upstream's state, never the caller's problem; only the
            // caller's own cancellation goes through.
            failure = timeout.IsCancellationRequested
                ? $"The upstream did not describe the model within {FetchTimeout.TotalSeconds:0} s."
                : ex.Message;
        }

        var (before, after) = state.Apply(report, failure, _time.GetUtcNow());
        if (after.Available == false && before.Available != false)
        {
            LogUnavailable(_logger, state.Route.Key.Value, state.Number, after.UnavailableReason ?? string.Empty);
        }
        else if (after.Available == true && before.Available == false)
        {
            LogAvailableAgain(_logger, state.Route.Key.Value, state.Number);
        }
    }

    private GatewayException RouteNotFound(string? key)
    {
        var keys = _routes.Routes.Select(route => route.Key.Value).ToArray();
        return new GatewayException(
            GatewayErrorKind.NotFound,
            GatewayErrorCodes.RouteNotFound,
            $"No route has the key '{key}'. Available keys: {(keys.Length > 0 ? string.Join(", ", keys) : "none")}.",
            new Dictionary<string, object?> { ["availableKeys"] = keys });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model metadata: the upstream of route '{ModelKey}' (deployment {Deployment}) is unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string modelKey, string deployment, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model metadata: the upstream of route '{ModelKey}' (deployment {Deployment}) is available again.")]
    private static partial void LogAvailableAgain(ILogger logger, string modelKey, string deployment);

    /// <summary>What a route's settings say about its model.</summary>
    private sealed record ConfiguredMetadata(ModelCapabilities? Capabilities, ModelQuantization? Quantization, long? ContextLength)
    {
        public static ConfiguredMetadata None { get; } = new(null, null, null);

        public bool IsEmpty => Capabilities is null && Quantization is null && ContextLength is null;

        public static ConfiguredMetadata From(ModelRouteOptions options)
        {
            // Validation at start-up has refused unknown names, so parsing cannot fail here.
            var capabilities = options.Capabilities.Count > 0 && ModelCapabilities.TryParse(options.Capabilities, out var parsed, out _)
                ? parsed
                : null;
            var quantization = new ModelQuantization(
                Trimmed(options.Quantization), Trimmed(options.ParameterSize), Trimmed(options.Family), Trimmed(options.Format));
            return new ConfiguredMetadata(capabilities, quantization.IsEmpty ? null : quantization, options.ContextLength);
        }

        private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>One deployment's inputs and its latest snapshot.</summary>
    /// <param name="owner">The route the deployment belongs to, as the route table has it.</param>
    /// <param name="route">The route as the deployment sees it, which its source is asked about.</param>
    /// <param name="configured">What the route's settings say about its model, for every deployment alike.</param>
    /// <param name="source">The deployment's provider's source, if it has one.</param>
    private sealed class DeploymentState(ModelRoute owner, ModelRoute route, ConfiguredMetadata configured, IModelMetadataSource? source)
    {
        /// <summary>Serialises <see cref="Apply"/>: two refresh rounds may overlap when an app calls <see cref="RefreshAsync"/> itself.</summary>
        private readonly Lock _gate = new();

        private readonly Uri? _endpoint =
            Uri.TryCreate(route.Endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                : null;

        private ModelMetadata _current = null!;

        /// <summary>The last report in which the upstream served the model: its facts stay shown while it is away.</summary>
        private ModelMetadataReport? _lastGood;

        private DateTimeOffset? _lastAvailableAt;

        public ModelRoute Owner { get; } = owner;

        public ModelRoute Route { get; } = route;

        /// <summary>"2 of 3": the deployment's place among its route's, for log lines.</summary>
        public string Number { get; } = string.Create(CultureInfo.InvariantCulture, $"{route.Deployments[0].Index + 1} of {owner.Deployments.Count}");

        public IModelMetadataSource? Source { get; } = source;

        public ModelMetadata Current
        {
            get => Volatile.Read(ref _current);
            set => Volatile.Write(ref _current, value);
        }

        /// <summary>Takes a fetch's outcome in and publishes the new snapshot.</summary>
        public (ModelMetadata Before, ModelMetadata After) Apply(ModelMetadataReport? report, string? failure, DateTimeOffset checkedAt)
        {
            lock (_gate)
            {
                var before = Current;
                Current = Compose(report, failure, checkedAt);
                return (before, Current);
            }
        }

        public ModelMetadata Compose(ModelMetadataReport? report, string? failure, DateTimeOffset? checkedAt)
        {
            if (report is { Available: true })
            {
                _lastGood = report;
                _lastAvailableAt = checkedAt;
            }

            var facts = _lastGood;
            var available = report?.Available ?? (failure is null ? (bool?)null : false);
            var reason = Scrub(report is { Available: false } ? report.Reason ?? "The upstream does not serve the model." : failure);

            var (capabilities, capabilitiesSource) =
                facts?.Capabilities is { } reported ? (reported, facts.Source)
                : configured.Capabilities is { } fromSettings ? (fromSettings, ModelMetadataSourceNames.Configuration)
                : (Source?.DefaultCapabilities ?? ModelCapabilities.ChatAndStreaming, ModelMetadataSourceNames.Default);
            var (quantization, quantizationSource) =
                facts?.Quantization is { IsEmpty: false } reportedQuantization ? (reportedQuantization, facts.Source)
                : configured.Quantization is { } configuredQuantization ? (configuredQuantization, ModelMetadataSourceNames.Configuration)
                : ((ModelQuantization?)null, (string?)null);

            var metadataSource = facts?.Source
                ?? (configured.IsEmpty ? ModelMetadataSourceNames.Default : ModelMetadataSourceNames.Configuration);
            return new ModelMetadata(
                new ModelSource(Route.Provider, _endpoint?.Authority, Route.Model, metadataSource),
                available,
                available == false ? reason : null,
                checkedAt ?? Current?.CheckedAt,
                _lastAvailableAt,
                capabilities,
                capabilitiesSource,
                quantization,
                quantizationSource,
                facts?.ContextLength ?? configured.ContextLength,
                facts?.Details ?? ModelMetadataReport.EmptyDetails);
        }

        /// <summary>Takes credentials written into the endpoint's URL out of a message that may quote the URL.</summary>
        private string? Scrub(string? reason) =>
            reason is not null && _endpoint is { UserInfo.Length: > 0 } endpoint
                ? reason.Replace(endpoint.UserInfo + "@", string.Empty, StringComparison.Ordinal)
                : reason;
    }
}
