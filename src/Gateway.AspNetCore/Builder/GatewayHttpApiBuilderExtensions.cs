using Gateway.AspNetCore.Configuration;
using Gateway.AspNetCore.Configuration.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the services of the gateway's HTTP API, which <c>app.MapGateway()</c> maps.</summary>
public static class GatewayHttpApiBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="GatewayHttpOptions"/>, read from the registered <see cref="IConfiguration"/> (the
    /// <c>Gateway:Http</c> section and the environment variables), then <paramref name="configure"/>;
    /// they are validated when the host starts. Safe to call more than once; each
    /// <paramref name="configure"/> is applied in call order.
    /// </summary>
    public static IGatewayBuilder AddHttpApi(this IGatewayBuilder builder, Action<GatewayHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<GatewayHttpOptions>();
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(HttpApiMarker)))
        {
            services.AddSingleton<HttpApiMarker>();
            builder.MapEnvironmentVariables(HttpEnvironmentVariables.Map);
            options.BindGatewayConfiguration(GatewayHttpOptions.SectionName).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayHttpOptions>, GatewayHttpOptionsValidator>());
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }
}
