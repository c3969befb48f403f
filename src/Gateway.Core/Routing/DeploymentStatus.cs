namespace Gateway.Core.Routing;

/// <summary>One deployment of a route as the balancer sees it now.</summary>
/// <param name="Deployment">The deployment.</param>
/// <param name="State">Whether it takes requests.</param>
/// <param name="OutstandingRequests">Requests it is serving now, streams included until they end.</param>
/// <param name="CoolingDownUntil">When an open deployment is tried again; <see langword="null"/> when it is not cooling down.</param>
public sealed record DeploymentStatus(
    ModelDeployment Deployment, DeploymentCircuitState State, int OutstandingRequests, DateTimeOffset? CoolingDownUntil);
