using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Resilience;

/// <summary>
/// Gives every attempt at an upstream call its write and read timeouts: <c>WRITE_TIMEOUT_SECONDS</c>
/// while the request is being sent, then <c>READ_TIMEOUT_SECONDS</c> of silence while waiting for the
/// answer's headers and between its bytes; the socket handler's connect timeout is reported the same way. It sits
/// inside the retry handler, so each attempt starts its clocks afresh.
/// </summary>
internal sealed class UpstreamTimeoutHandler(IOptions<GatewayOptions> options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var write = TimeSpan.FromSeconds(settings.WriteTimeoutSeconds);
        var read = TimeSpan.FromSeconds(settings.ReadTimeoutSeconds);
        request.Options.TryGetValue(UpstreamRequestOptions.Route, out var route);

        using var watchdog = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token);
        var phase = UpstreamTimeoutKind.Read;
        var body = request.Content;
        if (body is not null)
        {
            phase = UpstreamTimeoutKind.Write;
            request.Content = new SentNotifyingContent(body, () =>
            {
                phase = UpstreamTimeoutKind.Read;
                watchdog.CancelAfter(read);
            });
        }

        watchdog.CancelAfter(phase == UpstreamTimeoutKind.Write ? write : read);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && ex is OperationCanceledException or HttpRequestException or IOException)
        {
            throw UpstreamTimeouts.Exceeded(route, phase, phase == UpstreamTimeoutKind.Write ? write : read, ex);
        }
        catch (OperationCanceledException ex) when (ex.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // SocketsHttpHandler reports its ConnectTimeout this way.
            throw UpstreamTimeouts.Exceeded(route, UpstreamTimeoutKind.Connect, TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds), ex);
        }
        finally
        {
            // The retry handler may send the request again: it gets its own clocks around the original body.
            request.Content = body;
        }

        response.Content = new IdleTimeoutContent(
            response.Content,
            stream => new IdleTimeoutStream(stream, read, time, ex => UpstreamTimeouts.Exceeded(route, UpstreamTimeoutKind.Read, read, ex)));
        return response;
    }
}
