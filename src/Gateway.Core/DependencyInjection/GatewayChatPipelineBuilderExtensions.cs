using Gateway.Core.Chat;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds an app's own middleware (Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c>, <c>UseLogging()</c>,
/// <c>UseDistributedCache()</c>, <c>UseFunctionInvocation()</c>, or its own <c>Use(…)</c>) to the routes'
/// chat pipelines. Steps wrap the gateway's own metrics and total timeout, the first registered outermost;
/// see <see cref="ChatPipelineOptions"/>.
/// </summary>
public static class GatewayChatPipelineBuilderExtensions
{
    /// <summary>Adds <paramref name="configure"/> to the pipeline of every route.</summary>
    /// <param name="builder">The gateway builder.</param>
    /// <param name="configure">Called once per route, with the route and its pipeline, when the route's client is first built.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IGatewayBuilder ConfigureChatPipeline(this IGatewayBuilder builder, Action<ModelRoute, ChatClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<ChatPipelineOptions>(options => options.Steps.Add(configure));
        return builder;
    }

    /// <summary>Adds <paramref name="configure"/> to the pipeline of the route named <paramref name="routeKey"/> only.</summary>
    /// <param name="builder">The gateway builder.</param>
    /// <param name="routeKey">The route's key (case-insensitive); start-up fails when no such route is configured.</param>
    /// <param name="configure">Called with the route's pipeline when its client is first built.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="routeKey"/> is not a valid route key.</exception>
    public static IGatewayBuilder ConfigureChatPipeline(this IGatewayBuilder builder, string routeKey, Action<ChatClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        if (!RouteKey.TryParse(routeKey, out var key))
        {
            throw new ArgumentException(
                $"'{routeKey}' is not a route key: 1–{RouteKey.MaxLength} ASCII letters, digits, '_', '-' or '.'.", nameof(routeKey));
        }

        builder.Services.Configure<ChatPipelineOptions>(options =>
        {
            options.NamedRoutes.Add(key);
            options.Steps.Add((route, pipeline) =>
            {
                if (route.Key == key)
                {
                    configure(pipeline);
                }
            });
        });
        return builder;
    }

    /// <summary>Registers what every pipeline step needs; called by <c>AddGateway()</c>.</summary>
    internal static void AddChatPipeline(this IServiceCollection services)
    {
        services.AddOptions<ChatPipelineOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatPipelineOptions>, ChatPipelineOptionsValidator>());
    }
}
