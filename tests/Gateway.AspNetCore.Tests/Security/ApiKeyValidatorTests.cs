using System.Net;
using Gateway.AspNetCore.Configuration;
using Gateway.AspNetCore.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Tests.Security;

public sealed class ApiKeyValidatorTests
{
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.7")]
    [InlineData("2001:db8::1")]
    public void Check_NoKeysAndRemoteClient_RefusesAsLoopbackOnly(string remote)
    {
        var validator = new ApiKeyValidator(Options.Create(new GatewayHttpOptions()));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(ApiKeyCheck.RemoteWithoutKeys, validator.Check(context, out _));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("127.0.0.2")]
    [InlineData("::ffff:127.0.0.1")]
    public void Check_NoKeysAndLoopbackClient_AcceptsAndPartitionsByAddress(string remote)
    {
        var validator = new ApiKeyValidator(Options.Create(new GatewayHttpOptions()));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(ApiKeyCheck.Accepted, validator.Check(context, out var partition));
        Assert.Equal("ip:" + remote, partition);
    }

    [Theory]
    [InlineData(null, nameof(ApiKeyCheck.Missing))]
    [InlineData("Bearer ", nameof(ApiKeyCheck.Missing))]
    [InlineData("Basic c2VjcmV0", nameof(ApiKeyCheck.Missing))]
    [InlineData("Bearer secre", nameof(ApiKeyCheck.Invalid))]
    [InlineData("Bearer secret", nameof(ApiKeyCheck.Accepted))]
    public void Check_WithKeys_ComparesThePresentedKey(string? authorization, string expected)
    {
        var options = new GatewayHttpOptions();
        options.ApiKeys.Add("secret");
        var validator = new ApiKeyValidator(Options.Create(options));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5");
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        Assert.Equal(Enum.Parse<ApiKeyCheck>(expected), validator.Check(context, out _));
    }

    [Fact]
    public void Check_AcceptedKey_PartitionsByDigestNotByKey()
    {
        var options = new GatewayHttpOptions();
        options.ApiKeys.Add("first-secret");
        options.ApiKeys.Add("second-secret");
        var validator = new ApiKeyValidator(Options.Create(options));
        var first = new DefaultHttpContext();
        first.Request.Headers.Authorization = "Bearer first-secret";
        var second = new DefaultHttpContext();
        second.Request.Headers["X-API-Key"] = "second-secret";

        validator.Check(first, out var firstPartition);
        validator.Check(second, out var secondPartition);

        Assert.StartsWith("key:", firstPartition);
        Assert.NotEqual(firstPartition, secondPartition);
        Assert.DoesNotContain("secret", firstPartition);
    }
}
