using Gateway.Core.Internal;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.Ollama;

/// <summary>The <c>ollama</c> provider: Ollama's native chat API.</summary>
internal sealed class OllamaChatProvider(IHttpClientFactory httpClientFactory) : IChatProvider
{
    public string Name => ChatProviderNames.Ollama;

    public string? Validate(ModelRoute route) => HttpEndpoint.Validate(route.Endpoint);

    public IChatClient CreateClient(ModelRoute route) =>
        new OllamaChatClient(httpClientFactory.CreateClient(UpstreamHttpClient.Name), route);
}
