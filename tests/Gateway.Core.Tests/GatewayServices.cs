using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Tests;

/// <summary>Builds the real gateway services from flat settings, as the environment would supply them.</summary>
internal static class GatewayServices
{
    public static ServiceProvider Build(params (string Key, string Value)[] settings) => Build(configure: null, settings);

    /// <param name="configure">Registrations made before <c>AddGateway()</c>, which win over its defaults (e.g. a fake <see cref="TimeProvider"/>).</param>
    /// <param name="settings">Configuration, as flat environment-variable names.</param>
    public static ServiceProvider Build(Action<IServiceCollection>? configure, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        configure?.Invoke(services);
        services.AddGateway();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
