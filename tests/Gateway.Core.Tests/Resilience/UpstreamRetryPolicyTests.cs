using System.Net;
using Gateway.Core.Errors;
using Gateway.Core.Resilience;
using Gateway.Core.Routing;
using Polly;

namespace Gateway.Core.Tests.Resilience;

public sealed class UpstreamRetryPolicyTests
{
    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.OK, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    public void ShouldRetry_Status_OnlyTransientOnes(HttpStatusCode status, bool expected)
    {
        using var response = new HttpResponseMessage(status);

        Assert.Equal(expected, UpstreamRetryPolicy.ShouldRetry(Outcome.FromResult(response)));
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, true)]
    [InlineData(HttpRequestError.NameResolutionError, true)]
    [InlineData(HttpRequestError.ResponseEnded, false)]
    [InlineData(HttpRequestError.InvalidResponse, false)]
    public void ShouldRetry_HttpFailure_OnlyWhenTheConnectionWasNeverMade(HttpRequestError error, bool expected) =>
        Assert.Equal(expected, UpstreamRetryPolicy.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException(error, "x"))));

    [Theory]
    [InlineData(UpstreamTimeoutKind.Connect, true)]
    [InlineData(UpstreamTimeoutKind.Write, false)]
    [InlineData(UpstreamTimeoutKind.Read, false)]
    public void ShouldRetry_Timeout_OnlyConnect(UpstreamTimeoutKind kind, bool expected)
    {
        RouteKey.TryParse("main", out var key);
        var timeout = UpstreamTimeouts.Exceeded(new ModelRoute(key, "openai", "http://127.0.0.1", "m", null), kind, TimeSpan.FromSeconds(1));

        Assert.Equal(expected, UpstreamRetryPolicy.ShouldRetry(Outcome.FromException<HttpResponseMessage>(timeout)));
    }

    [Fact]
    public void ShouldRetry_OtherGatewayError_No() =>
        Assert.False(UpstreamRetryPolicy.ShouldRetry(Outcome.FromException<HttpResponseMessage>(
            new GatewayException(GatewayErrorKind.UpstreamFailure, GatewayErrorCodes.UpstreamProtocolError, "bad"))));
}
