using System.Net;
using Gateway.AspNetCore.Authentication.Internal;
using Microsoft.AspNetCore.Http;

namespace Gateway.AspNetCore.Tests.Security;

public sealed class ApiKeyValidatorTests
{
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.7")]
    [InlineData("2001:db8::1")]
    public void Check_NoKeysAndRemoteClient_RefusesAsLoopbackOnly(string remote)
    {
        var validator = new ApiKeyValidator([]);
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
        var validator = new ApiKeyValidator([]);
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
        var validator = new ApiKeyValidator(["secret"]);
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
        var validator = new ApiKeyValidator(["first-secret", "second-secret"]);
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
