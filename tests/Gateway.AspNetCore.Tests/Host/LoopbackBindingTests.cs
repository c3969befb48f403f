using Gateway.Host;

namespace Gateway.AspNetCore.Tests.Host;

/// <summary>The sample host without API keys must never listen beyond this machine.</summary>
public sealed class LoopbackBindingTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://127.0.0.2:80")]
    public void IsLoopback_LoopbackAddresses_True(string url) => Assert.True(LoopbackBinding.IsLoopback(url));

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://10.1.2.3:5080")]
    [InlineData("https://gateway.example.com:443")]
    public void IsLoopback_WiderAddresses_False(string url) => Assert.False(LoopbackBinding.IsLoopback(url));

    [Theory]
    [InlineData("http://0.0.0.0:5080", "http://127.0.0.1:5080")]
    [InlineData("http://*:8080/", "http://127.0.0.1:8080")]
    [InlineData("https://+:8443", "https://127.0.0.1:8443")]
    [InlineData("http://[::]:5080", "http://127.0.0.1:5080")]
    public void ToLoopback_KeepsSchemeAndPort(string url, string expected) => Assert.Equal(expected, LoopbackBinding.ToLoopback(url));
}
