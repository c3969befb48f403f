using Gateway.Core.Chat;
using Gateway.Core.Chat.Retrieval;
using Gateway.Core.Configuration;
using Gateway.Core.Configuration.Internal;
using System.Diagnostics.Metrics;
using Gateway.Core.Internal;
using Gateway.Core.Metrics;
using Gateway.Core.Models;
using Gateway.Core.Providers;
using Gateway.Core.Providers.Ollama;
using Gateway.Core.Providers.OpenAI;
using Gateway.Core.Resilience;
using Gateway.Core.Routing;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gateway core: configuration, routing, providers and the chat service.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway core. Options come from the registered <see cref="IConfiguration"/> (the
    /// <c>Gateway</c> section with the flat environment variables applied over it, see
    /// <see cref="GatewayEnvironmentMap"/>), then <paramref name="configure"/>;
    /// they are validated when the host starts. Safe to call more than once.
    /// </summary>
    public static IGatewayBuilder AddGateway(this IServiceCollection services, Action<GatewayOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        if (!services.Any(descriptor => descriptor.ServiceType == typeof(GatewayMarker)))
        {
            services.AddSingleton<GatewayMarker>();
            GatewayConfigurationExtensions.AddEnvironmentMap(services, GatewayEnvironmentVariables.Map);
            services.AddOptions<GatewayOptions>().BindGatewayConfiguration(GatewayOptions.SectionName).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<GatewayOptions>, RouteApiKeyResolver>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsSettingsValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());

            var upstream = services.AddHttpClient(UpstreamHttpClient.Name)
                .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
                {
                    ConnectTimeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.ConnectTimeoutSeconds),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AutomaticDecompression = System.Net.DecompressionMethods.All,
                })
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
            upstream.AddResilienceHandler("upstream-retry", UpstreamRetryPipeline.Configure);
            upstream.AddHttpMessageHandler(sp => new UpstreamTimeoutHandler(
                    sp.GetRequiredService<IOptions<GatewayOptions>>(), sp.GetRequiredService<TimeProvider>()));

            // Metadata fetches share the connect timeout but not the retries: a failed refresh runs again later.
            // The catalog logs one line per unavailable upstream; the factory's own request logs (with a stack
            // trace for every refused connection, every refresh) would only repeat it.
            services.AddHttpClient(ModelMetadataHttpClient.Name)
                .RemoveAllLoggers()
                .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
                {
                    ConnectTimeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.ConnectTimeoutSeconds),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AutomaticDecompression = System.Net.DecompressionMethods.All,
                })
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);

            // Each route's pipeline (ChatService builds it): the app's steps, then metrics, then the total timeout.
            // Retries and the connect/write/read timeouts live in the HTTP handlers above, beneath the provider.
            services.AddChatPipeline();
            services.TryAddSingleton(sp => new GatewayMetrics(sp.GetService<IMeterFactory>()));
            services.TryAddSingleton<ModelLatencyTracker>();

            services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatProvider, OpenAICompatibleChatProvider>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatProvider, OllamaChatProvider>());
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton(sp => BuildRouteTable(sp));
            services.TryAddSingleton<ModelRouter>();
            services.TryAddSingleton(sp => new DeploymentBalancer(
                sp.GetRequiredService<IOptions<GatewayOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
            services.TryAddSingleton<ChatTargetResolver>();

            // Resolvable once a storage package registers IModelProfileStore; MapGateway maps the profile endpoints only then.
            services.TryAddSingleton(sp => new ModelProfileService(sp.GetRequiredService<IModelProfileStore>(), sp.GetRequiredService<ModelRouter>()));
            // Resolvable once a storage package registers IConversationStore; it checks spaces when they are stored too.
            services.TryAddSingleton(sp => new ConversationService(sp.GetRequiredService<IConversationStore>(), sp.GetService<ISpaceStore>()));
            // Resolvable once a storage package registers ISpaceStore.
            services.TryAddSingleton(sp => new SpaceService(sp.GetRequiredService<ISpaceStore>()));
            services.TryAddSingleton<ChatService>();
            // How a turn's retrieved context is written; a retrieval package registers the IChatContextRetriever.
            GatewayConfigurationExtensions.AddEnvironmentMap(services, ChatContextEnvironmentVariables.Map);
            services.AddOptions<ChatContextOptions>().BindGatewayConfiguration(ChatContextOptions.SectionName).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatContextOptions>, ChatContextOptionsValidator>());

            // What /api/models shows about each route's model, refreshed in the background.
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelMetadataSource, OpenAICompatibleModelMetadataSource>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelMetadataSource, OllamaModelMetadataSource>());
            services.TryAddSingleton<ModelMetadataCatalog>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ModelMetadataRefreshService>());
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new GatewayBuilder(services);
    }

    private static RouteTable BuildRouteTable(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var errors = new List<string>();
        return RouteTable.TryBuild(options, services.GetServices<IChatProvider>(), errors)
            ?? throw new OptionsValidationException(Options.Options.DefaultName, typeof(GatewayOptions), errors);
    }

    private sealed class GatewayMarker;

    private sealed class GatewayBuilder(IServiceCollection services) : IGatewayBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
