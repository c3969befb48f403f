using Gateway.Core.Errors;
using Gateway.Core.Models;
using Microsoft.Extensions.Hosting;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>
/// Refreshes the <c>GET /api/models</c> entries of the <c>onnx</c> routes of a model folder as soon as
/// that model has loaded, so where it runs (<c>details.executionProvider</c>) shows at once instead of at
/// the next metadata round. The refresh reads <c>genai_config.json</c> only; it runs in the background.
/// </summary>
internal sealed class OnnxMetadataOnLoad(OnnxGenerationModels models, ModelMetadataCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        models.ModelLoaded += OnLoaded;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        models.ModelLoaded -= OnLoaded;
        return Task.CompletedTask;
    }

    // Raised inside the load: the refresh waits for the load to be complete, so the entry reads it as loaded.
    private void OnLoaded(string folder) => _ = RefreshAsync(folder);

    private async Task RefreshAsync(string folder)
    {
        try
        {
            await models.GetFactsAsync(folder).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GatewayException or ObjectDisposedException)
        {
            return; // The gateway is stopping; nothing to show.
        }

        await catalog.RefreshRoutesAsync(route =>
            string.Equals(route.Provider, OnnxChatProvider.ProviderName, StringComparison.OrdinalIgnoreCase)
            && OnnxGenerationModels.Normalize(route.Endpoint) == folder).ConfigureAwait(false);
    }
}
