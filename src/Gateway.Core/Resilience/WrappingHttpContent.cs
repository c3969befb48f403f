using System.Net;

namespace Gateway.Core.Resilience;

/// <summary>
/// The shared part of an <see cref="HttpContent"/> that stands in for another: the same headers, the
/// same length, and one asynchronous serialisation that subclasses write.
/// </summary>
internal abstract class WrappingHttpContent : HttpContent
{
    protected WrappingHttpContent(HttpContent inner)
    {
        Inner = inner;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>The content this one stands in for.</summary>
    protected HttpContent Inner { get; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected abstract override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = Inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }
}
