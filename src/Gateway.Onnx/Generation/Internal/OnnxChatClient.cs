using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Core.Chat;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>
/// The chat client of an <c>onnx</c> route: runs the route's model folder in-process with ONNX Runtime
/// GenAI. The model is shared (see <see cref="OnnxGenerationModels"/>); this client owns nothing.
/// </summary>
internal sealed class OnnxChatClient : IChatClient
{
    private readonly OnnxGenerationModels _models;
    private readonly ModelRoute _route;
    private readonly ChatClientMetadata _metadata;

    public OnnxChatClient(OnnxGenerationModels models, ModelRoute route)
    {
        _models = models;
        _route = route;
        _metadata = new ChatClientMetadata(OnnxChatProvider.ProviderName, new Uri(Path.GetFullPath(route.Endpoint)), route.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        var response = new ChatResponse { ModelId = _route.Model };
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
            response.FinishReason = update.FinishReason ?? response.FinishReason;
            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                response.Usage = usage.Details;
            }
        }

        response.Messages = [new ChatMessage(ChatRole.Assistant, text.ToString())];
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var settings = GenerationSettings.From(options);
        var conversation = messages.ToList();
        var model = await _models.GetAsync(_route.Endpoint, cancellationToken).ConfigureAwait(false);
        await foreach (var update in model.StreamAsync(conversation, settings, _route.Model, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>
    /// Offers <see cref="ChatClientMetadata"/>, the <see cref="ChatParameterSupport"/> of GenAI's search and, once a request (or <see cref="OnnxGenerationModels.GetFactsAsync"/>)
    /// has loaded the model, its <see cref="OnnxModelFacts"/>.
    /// </summary>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(ChatParameterSupport))
        {
            return GenerationSettings.Support;
        }

        if (serviceType == typeof(OnnxModelFacts))
        {
            return _models.TryGetLoaded(_route.Endpoint)?.Facts;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The model belongs to OnnxGenerationModels, which the container disposes.
    }
}
