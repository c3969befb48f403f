using System.Net;

namespace Gateway.Core.Resilience;

/// <summary>Wraps a request body to learn the moment it has been written to the connection.</summary>
internal sealed class SentNotifyingContent(HttpContent inner, Action onSent) : WrappingHttpContent(inner)
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await Inner.CopyToAsync(stream, context, cancellationToken).ConfigureAwait(false);
        onSent();
    }
}
