using Gateway.Core.Embeddings;
using Gateway.Core.Errors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>
/// Loads every embedding model when the host starts, so a broken model stops start-up (as a configuration
/// problem naming the model and its folder) instead of failing the first request.
/// </summary>
internal sealed class EmbeddingModelLoader(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            services.GetRequiredService<EmbeddingModelRegistry>();
        }
        catch (GatewayException ex) when (ex.ErrorCode == GatewayErrorCodes.InvalidEmbeddingModel)
        {
            throw new OptionsValidationException(nameof(OnnxEmbeddingOptions), typeof(OnnxEmbeddingOptions), [ex.Message]);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
