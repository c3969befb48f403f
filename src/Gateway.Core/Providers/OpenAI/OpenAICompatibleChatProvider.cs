using Gateway.Core.Internal;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.OpenAI;

/// <summary>The <c>openai</c> provider: any OpenAI-compatible chat completions server.</summary>
internal sealed class OpenAICompatibleChatProvider(IHttpClientFactory httpClientFactory) : IChatProvider
{
    public string Name => ChatProviderNames.OpenAI;

    public string? Validate(ModelRoute route) => HttpEndpoint.Validate(route.Endpoint);

    public IChatClient CreateClient(ModelRoute route) =>
        new OpenAICompatibleChatClient(httpClientFactory.CreateClient(UpstreamHttpClient.Name), route);
}
