using System.Collections.Concurrent;
using Gateway.Core.Configuration;
using Gateway.Core.Routing.Internal;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Routing;

/// <summary>
/// The live state of every route's deployments: how many requests each is serving and whether its
/// circuit breaker has taken it out for a cool-down (<c>DEPLOYMENT_FAILURE_THRESHOLD</c> failures in a
/// row, then <c>DEPLOYMENT_COOLDOWN_SECONDS</c>). <c>ChatService</c> spreads each route's requests over
/// it; <c>/api/models/{key}</c> shows it. One per gateway, registered by <c>AddGateway()</c>.
/// </summary>
public sealed class DeploymentBalancer
{
    private readonly ConcurrentDictionary<RouteKey, RouteDeployments> _routes = new();
    private readonly DeploymentBalancingSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the balancer; normally resolved from DI after <c>AddGateway()</c>.</summary>
    /// <param name="options">The failure threshold and cool-down.</param>
    /// <param name="time">The clock the cool-downs run on.</param>
    /// <param name="loggers">Where openings, recoveries and failed attempts are logged.</param>
    public DeploymentBalancer(IOptions<GatewayOptions> options, TimeProvider time, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _settings = new DeploymentBalancingSettings(
            options.Value.DeploymentFailureThreshold, TimeSpan.FromSeconds(options.Value.DeploymentCooldownSeconds));
        _time = time;
        _logger = (ILogger?)loggers?.CreateLogger<DeploymentBalancer>() ?? NullLogger.Instance;
    }

    /// <summary>Each of the route's deployments, in configuration order, as it stands now.</summary>
    public IReadOnlyList<DeploymentStatus> GetStatus(ModelRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return For(route).Status(_time.GetUtcNow());
    }

    /// <summary>The route's client over its deployments, each served by the client <paramref name="createClient"/> makes for it.</summary>
    internal IChatClient CreateClient(ModelRoute route, Func<ModelDeployment, IChatClient> createClient) =>
        new BalancingChatClient(route, For(route), createClient, _time, _logger);

    private RouteDeployments For(ModelRoute route) =>
        _routes.GetOrAdd(route.Key, static (_, state) => new RouteDeployments(
            state.route.Deployments.Select(deployment => new DeploymentSlot(state.route.Key, deployment, state.self._settings, state.self._time, state.self._logger)).ToArray()),
            (self: this, route));
}
