using Gateway.Core.Embeddings;
using Gateway.Core.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the embedding service to the gateway; packages that serve models add an <see cref="IEmbeddingModelSource"/>.</summary>
public static class GatewayEmbeddingsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="EmbeddingOptions"/> (validated at start-up), the <see cref="EmbeddingModelRegistry"/>
    /// built from every registered <see cref="IEmbeddingModelSource"/>, and the <see cref="EmbeddingService"/>
    /// that the HTTP layer calls. Model packages call this themselves (e.g. <c>AddOnnxEmbeddings()</c>).
    /// Safe to call more than once.
    /// </summary>
    public static IGatewayBuilder AddEmbeddings(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(EmbeddingService)))
        {
            return builder;
        }

        builder.MapEnvironmentVariables(EmbeddingEnvironmentVariables.Map);
        services.AddOptions<EmbeddingOptions>().BindGatewayConfiguration(EmbeddingOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddingOptions>, EmbeddingOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value;
            var models = sp.GetServices<IEmbeddingModelSource>().SelectMany(source => source.LoadModels());
            return new EmbeddingModelRegistry(options.OpenTelemetry ? models.Select(model => WithOpenTelemetry(model, sp)) : models, options.DefaultModel);
        });
        services.TryAddSingleton<EmbeddingService>();
        return builder;
    }

    private static EmbeddingModel WithOpenTelemetry(EmbeddingModel model, IServiceProvider services) => model with
    {
        Generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(model.Generator)
            .UseOpenTelemetry(sourceName: GatewayOpenTelemetry.ActivitySourceName)
            .Build(services),
    };
}
