using Gateway.Core.Embeddings;
using Gateway.Onnx;
using Gateway.Onnx.Embeddings;
using Gateway.Onnx.Embeddings.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds local embedding models on ONNX Runtime to the gateway.</summary>
public static class GatewayOnnxEmbeddingsBuilderExtensions
{
    /// <summary>
    /// Serves embeddings from local models: the bundled all-MiniLM-L6-v2 (the default model) and every
    /// <c>EMBEDDING_MODEL_&lt;NAME&gt;=&lt;folder&gt;</c>, on CUDA when available (<c>ONNX_EXECUTION_PROVIDER</c>),
    /// else on the CPU. Registers the <see cref="EmbeddingService"/> (see <c>AddEmbeddings()</c>), so
    /// <c>MapGateway()</c> maps <c>/v1/embeddings</c> and <c>/api/embeddings</c>. Models are loaded once,
    /// when the host starts; a missing or broken folder stops start-up naming its variable. Safe to call
    /// more than once; each <paramref name="configure"/> is applied in call order.
    /// </summary>
    public static IGatewayBuilder AddOnnxEmbeddings(this IGatewayBuilder builder, Action<OnnxEmbeddingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<OnnxEmbeddingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(descriptor => descriptor.ServiceType == typeof(OnnxEmbeddingsMarker)))
        {
            return builder;
        }

        services.AddSingleton<OnnxEmbeddingsMarker>();
        builder.AddEmbeddings();
        options.ValidateOnStart();

        builder.MapEnvironmentVariables(OnnxEnvironmentVariables.Map);
        options.BindGatewayConfiguration(EmbeddingOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnnxEmbeddingOptions>, OnnxEmbeddingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEmbeddingModelSource, OnnxEmbeddingModelSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EmbeddingModelLoader>());
        return builder;
    }

    private sealed class OnnxEmbeddingsMarker;
}
