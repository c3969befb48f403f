using Gateway.Core.Routing;

namespace Gateway.Core.Tests.Routing;

public sealed class RouteKeyTests
{
    [Theory]
    [InlineData("gpt4", "gpt4")]
    [InlineData("GPT_4o-mini.v2", "gpt_4o-mini.v2")]
    public void TryParse_ValidKey_NormalisesToLowerCase(string text, string expected)
    {
        Assert.True(RouteKey.TryParse(text, out var key));
        Assert.Equal(expected, key.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ctrl\u0001")]
    [InlineData("slash/key")]
    [InlineData("ünïcode")]
    public void TryParse_InvalidKey_Fails(string? text) => Assert.False(RouteKey.TryParse(text, out _));

    [Fact]
    public void TryParse_TooLong_Fails() => Assert.False(RouteKey.TryParse(new string('k', RouteKey.MaxLength + 1), out _));

    [Fact]
    public void Equality_IgnoresCase()
    {
        RouteKey.TryParse("Local", out var a);
        RouteKey.TryParse("LOCAL", out var b);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
