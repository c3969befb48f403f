using System.Net;
using Gateway.AspNetCore.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Host;

/// <summary>
/// Chooses the addresses the host listens on: <c>--urls</c>/<c>ASPNETCORE_URLS</c>, else
/// http://127.0.0.1:5080. Without <c>GATEWAY_API_KEYS</c> a non-loopback address is narrowed to
/// 127.0.0.1, so an unauthenticated gateway is never reachable from another machine.
/// </summary>
internal static partial class LoopbackBinding
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static void Apply(WebApplication app)
    {
        var configured = app.Configuration[WebHostDefaults.ServerUrlsKey];
        var urls = (string.IsNullOrWhiteSpace(configured) ? DefaultUrl : configured)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var keysConfigured = app.Services.GetRequiredService<IOptions<GatewayHttpOptions>>().Value.ApiKeys.Count > 0;
        app.Urls.Clear();
        foreach (var url in urls)
        {
            if (keysConfigured || IsLoopback(url))
            {
                app.Urls.Add(url);
                continue;
            }

            var narrowed = ToLoopback(url);
            LogNarrowed(app.Logger, url, narrowed);
            app.Urls.Add(narrowed);
        }
    }

    internal static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    internal static string ToLoopback(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var hostStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var portStart = url.LastIndexOf(':');
        var port = portStart > hostStart ? url[portStart..].TrimEnd('/') : string.Empty;
        return $"{(schemeEnd < 0 ? "http" : url[..schemeEnd])}://127.0.0.1{port}";
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "GATEWAY_API_KEYS is not set, so the gateway listens on loopback only: {Requested} narrowed to {Bound}. Set GATEWAY_API_KEYS to listen on other addresses.")]
    private static partial void LogNarrowed(ILogger logger, string requested, string bound);
}
