namespace Gateway.Core.Routing;

/// <summary>Whether a deployment takes requests, as its circuit breaker decides.</summary>
public enum DeploymentCircuitState
{
    /// <summary>Healthy: it takes its share of the route's requests.</summary>
    Closed,

    /// <summary>It failed repeatedly and is cooling down: no request is sent to it until the cool-down ends.</summary>
    Open,

    /// <summary>Its cool-down is over: the next request tries it, and that one's outcome closes or reopens it.</summary>
    HalfOpen,
}
