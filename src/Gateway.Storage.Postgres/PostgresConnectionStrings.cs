using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Reads the PostgreSQL forms of <c>GATEWAY_DB</c>: an Npgsql keyword string (<c>Host=…;Database=…</c>)
/// or a URL (<c>postgres://user:password@host:port/database?sslmode=require</c>), which is turned into
/// the keyword form Npgsql reads.
/// </summary>
public static class PostgresConnectionStrings
{
    private static readonly string[] ServerKeys = ["host", "server", "username", "user id", "userid", "user"];

    /// <summary>Whether <paramref name="value"/> names a PostgreSQL database rather than a SQLite file.</summary>
    public static bool IsPostgres(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var trimmed = value.Trim();
        if (IsUrl(trimmed))
        {
            return true;
        }

        if (!trimmed.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = trimmed };
            return ServerKeys.Any(builder.ContainsKey);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The Npgsql keyword form of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">A URL that cannot be read.</exception>
    public static string ToNpgsql(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var trimmed = value.Trim();
        if (!IsUrl(trimmed))
        {
            return trimmed;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("Expected a URL of the form postgres://user:password@host:port/database.", nameof(value));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        // Query parameters are Npgsql keywords (sslmode=require, pooling=false, …); libpq's spellings mostly match.
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var text = equals < 0 ? "true" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key] = text;
            }
            catch (ArgumentException error)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The URL parameter '{key}' is not a connection setting Npgsql knows: {error.Message}"), nameof(value), error);
            }
        }

        return builder.ConnectionString;
    }

    private static bool IsUrl(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
}
