using Gateway.Core.Models;
using Gateway.Core.Providers;
using Gateway.Onnx;
using Gateway.Onnx.Generation;
using Gateway.Onnx.Generation.Internal;
using Gateway.Onnx.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds local text generation on ONNX Runtime GenAI to the gateway.</summary>
public static class GatewayOnnxGenerationBuilderExtensions
{
    /// <summary>
    /// Registers the <c>onnx</c> route provider, so <c>MODEL_ROUTE_&lt;KEY&gt;=onnx|&lt;model folder&gt;|&lt;name&gt;</c>
    /// runs an ONNX Runtime GenAI model folder in this process, and <see cref="OnnxGenerationModels"/>, which
    /// loads each folder once and unloads it with the container, and the metadata <c>GET /api/models</c> shows
    /// for those routes (from <c>genai_config.json</c>, and the execution provider once the model is loaded). <c>ONNX_EXECUTION_PROVIDER</c> (<c>cpu</c>, the
    /// default, or <c>cuda</c>) is validated at start-up. The application references the native runtime package
    /// (<c>Microsoft.ML.OnnxRuntimeGenAI</c>). Safe to call more than once.
    /// </summary>
    public static IGatewayBuilder AddOnnxGeneration(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(OnnxGenerationModels)))
        {
            return builder;
        }

        builder.MapEnvironmentVariables(OnnxEnvironmentVariables.Map);
        services.AddOptions<OnnxGenerationOptions>().BindGatewayConfiguration(OnnxExecutionProviderSetting.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnnxGenerationOptions>, OnnxGenerationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new OnnxGenerationModels(
            sp.GetRequiredService<IOptions<OnnxGenerationOptions>>(),
            sp.GetService<ILogger<OnnxGenerationModels>>() ?? NullLogger<OnnxGenerationModels>.Instance,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatProvider, OnnxChatProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelMetadataSource, OnnxModelMetadataSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OnnxMetadataOnLoad>());
        return builder;
    }
}
