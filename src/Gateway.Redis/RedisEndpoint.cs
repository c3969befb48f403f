using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>
/// Reads <c>REDIS_URL</c>: <c>redis://[[user]:password@]host[:port][/db]</c>, <c>rediss://…</c> for TLS,
/// or a StackExchange.Redis configuration string such as <c>host:port,password=…</c>.
/// </summary>
internal static class RedisEndpoint
{
    /// <summary>How long a command may wait for Redis before the limiter gives up and serves the request.</summary>
    public const int TimeoutMilliseconds = 2000;

    public static ConfigurationOptions Parse(string url)
    {
        ConfigurationOptions options;
        if (url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(url);
            options = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
            options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
            if (uri.UserInfo.Length > 0)
            {
                var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
                var user = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
                options.User = user.Length > 0 ? user : null;
                options.Password = separator < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            }

            var database = uri.AbsolutePath.Trim('/');
            if (database.Length > 0)
            {
                options.DefaultDatabase = int.Parse(database, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        else
        {
            options = ConfigurationOptions.Parse(url);
        }

        // Never block start-up or a request on an absent Redis: connect in the background, and while
        // disconnected fail a command at once (fail-open) instead of queueing it until the timeout.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = TimeoutMilliseconds;
        options.AsyncTimeout = TimeoutMilliseconds;
        options.SyncTimeout = TimeoutMilliseconds;
        return options;
    }

    /// <summary>Whether <paramref name="url"/> can be read; the reason when not.</summary>
    public static string? Validate(string url)
    {
        try
        {
            var options = Parse(url);
            return options.EndPoints.Count == 0 ? "it names no host" : null;
        }
        catch (Exception ex) when (ex is UriFormatException or FormatException or ArgumentException or OverflowException)
        {
            return ex.Message;
        }
    }
}
