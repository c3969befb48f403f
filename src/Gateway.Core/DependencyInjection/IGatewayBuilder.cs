namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddGateway()</c>; each capability package adds itself with an idempotent
/// <c>AddXxx()</c> extension on it, so the order of calls never matters.
/// </summary>
public interface IGatewayBuilder
{
    /// <summary>The service collection the gateway is registered in.</summary>
    IServiceCollection Services { get; }
}
