using System.Diagnostics.Metrics;
using Gateway.AspNetCore.Authentication;
using Gateway.AspNetCore.Authentication.Internal;
using Gateway.AspNetCore.Configuration;
using Gateway.AspNetCore.Configuration.Internal;
using Gateway.AspNetCore.Internal;
using Gateway.AspNetCore.RateLimiting;
using Gateway.AspNetCore.RateLimiting.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Authorization;
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
    /// they are validated when the host starts. Adds the API-key authentication scheme
    /// (<see cref="ApiKeyAuthenticationDefaults.AuthenticationScheme"/>, keys from <c>GATEWAY_API_KEYS</c>) without
    /// making it the default, so the host's own <c>AddAuthentication(…)</c> keeps its choice, and the authorization
    /// policy <see cref="GatewayAuthorizationDefaults.PolicyName"/> on the gateway's endpoints, which also accepts
    /// the host's default authentication scheme. With <c>RATE_LIMIT_PER_MIN</c>, the rate limiter policy
    /// <see cref="GatewayRateLimiterDefaults.PolicyName"/> (the app calls <c>app.UseRateLimiter()</c>). Safe to call more than once; each
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
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayHttpOptions>, GatewayHttpOptionsSettingsValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayHttpOptions>, GatewayHttpOptionsValidator>());

            services.AddAuthentication()
                .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationDefaults.AuthenticationScheme, "Gateway API key", null);
            services.AddSingleton(sp => new ApiKeyValidator(sp.GetRequiredService<IOptions<GatewayHttpOptions>>().Value.ApiKeys));
            // The authorization services cache policies per endpoint, so they need routing's; AddRouting is idempotent.
            services.AddRouting();
            services.AddAuthorization();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AuthorizationOptions>, GatewayAuthorizationPolicySetup>());

            // RATE_LIMIT_PER_MIN through ASP.NET Core's rate limiting; Gateway.Redis's AddRedis() replaces the counter.
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton(sp => new GatewayHttpMetrics(sp.GetService<IMeterFactory>()));
            services.TryAddSingleton(_ => InProcessRequestCounter.Create());
            services.AddRateLimiter(limiter => limiter.AddPolicy<string, GatewayRateLimiterPolicy>(GatewayRateLimiterDefaults.PolicyName));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }
}
