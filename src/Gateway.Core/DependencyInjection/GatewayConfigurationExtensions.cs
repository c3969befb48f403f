using Gateway.Core.Configuration;
using Gateway.Core.Configuration.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>How a Gateway package reads its options: from the <c>Gateway</c> configuration with its flat environment variables applied.</summary>
public static class GatewayConfigurationExtensions
{
    /// <summary>
    /// Adds a package's flat environment variables to the gateway configuration (see
    /// <see cref="GatewayEnvironmentMap"/>). Maps apply in registration order. Adding the same map twice adds it once.
    /// </summary>
    /// <param name="builder">The gateway builder.</param>
    /// <param name="map">The package's variables and the keys they stand for.</param>
    public static IGatewayBuilder MapEnvironmentVariables(this IGatewayBuilder builder, GatewayEnvironmentMap map)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(map);
        AddEnvironmentMap(builder.Services, map);
        return builder;
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="sectionName"/> of the gateway configuration:
    /// the section of the registered <see cref="IConfiguration"/>, with every mapped environment variable
    /// applied over it. The binding runs before any <c>Configure(…)</c> of the app, whenever that was
    /// registered. A variable that cannot be read or a key of the wrong type fails validation naming it,
    /// together with every other problem; call <c>ValidateOnStart()</c> to see them at start-up.
    /// Calling it again for the same section does nothing.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="builder">The options to bind.</param>
    /// <param name="sectionName">The section, e.g. <c>Gateway:Http</c>.</param>
    public static OptionsBuilder<TOptions> BindGatewayConfiguration<TOptions>(this OptionsBuilder<TOptions> builder, string sectionName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var services = builder.Services;
        var section = new GatewayOptionsSection(typeof(TOptions), sectionName);
        if (services.Any(descriptor => section.Equals(descriptor.ImplementationInstance)))
        {
            return builder;
        }

        services.AddSingleton(section);
        services.TryAddSingleton(sp => new GatewayConfiguration(
            sp.GetService<IConfiguration>(), sp.GetServices<GatewayEnvironmentMap>(), sp.GetServices<GatewayOptionsSection>()));
        services.TryAddSingleton<GatewayBindingErrors<TOptions>>();
        // First, so the configured values are in place before any Configure(...) of the app runs.
        services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<TOptions>>(sp => new GatewayOptionsBinder<TOptions>(
            sp.GetRequiredService<GatewayConfiguration>(), sectionName, sp.GetRequiredService<GatewayBindingErrors<TOptions>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, GatewayConfigurationValidator<TOptions>>());
        return builder;
    }

    internal static void AddEnvironmentMap(IServiceCollection services, GatewayEnvironmentMap map)
    {
        if (!services.Any(descriptor => ReferenceEquals(descriptor.ImplementationInstance, map)))
        {
            services.AddSingleton(map);
        }
    }
}
