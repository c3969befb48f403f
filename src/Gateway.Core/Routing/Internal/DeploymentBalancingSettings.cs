namespace Gateway.Core.Routing.Internal;

/// <summary>The circuit breaker settings every deployment shares, from <c>DEPLOYMENT_FAILURE_THRESHOLD</c> and <c>DEPLOYMENT_COOLDOWN_SECONDS</c>.</summary>
internal sealed record DeploymentBalancingSettings(int FailureThreshold, TimeSpan CoolDown);
