using System.Net;

namespace Gateway.Core.Resilience;

/// <summary>Wraps a request body to learn the moment it has been written to the connection.</summary>
internal sealed class SentNotifyingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Action _onSent;

    public SentNotifyingContent(HttpContent inner, Action onSent)
    {
        _inner = inner;
        _onSent = onSent;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await _inner.CopyToAsync(stream, context, cancellationToken).ConfigureAwait(false);
        _onSent();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }
}
