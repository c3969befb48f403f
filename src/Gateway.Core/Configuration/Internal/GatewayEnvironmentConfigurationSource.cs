using Microsoft.Extensions.Configuration;

namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// The one configuration source that reads the flat environment variables: it copies the
/// <c>Gateway</c> section of the application's configuration, then applies every package's
/// <see cref="GatewayEnvironmentMap"/> over it, so a variable wins over the key it stands for.
/// </summary>
internal sealed class GatewayEnvironmentConfigurationSource(IConfiguration flat, IReadOnlyList<GatewayEnvironmentMap> maps) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new GatewayEnvironmentConfigurationProvider(flat, maps);
}
