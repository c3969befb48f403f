using System.Net;
using System.Net.Http.Headers;

namespace Gateway.Benchmarks.Providers;

/// <summary>An HTTP handler that answers every request with the same prepared body, so a client's own cost is all that is measured.</summary>
internal sealed class CannedResponseHandler(byte[] body, string contentType) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}
