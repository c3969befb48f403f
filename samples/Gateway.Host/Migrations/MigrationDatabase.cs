using System.Data.Common;

namespace Gateway.Host.Migrations;

/// <summary>Tells what a <c>--db</c> / <c>GATEWAY_DB</c> value points at: a SQLite file, or a PostgreSQL server.</summary>
internal static class MigrationDatabase
{
    private static readonly string[] PostgresKeys = ["host", "server", "username", "user id", "userid", "user"];
    private static readonly string[] SqliteKeys = ["data source", "datasource", "filename"];

    /// <summary>
    /// Whether <paramref name="value"/> is a PostgreSQL URI (<c>postgres://</c>, <c>postgresql://</c>)
    /// or a keyword connection string that names a server (<c>Host=…</c>).
    /// </summary>
    public static bool LooksLikePostgres(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return TryReadKeywords(trimmed, out var keywords) && PostgresKeys.Any(keywords.ContainsKey);
    }

    /// <summary>
    /// The SQLite file <paramref name="value"/> names: the value itself when it is a path, or the
    /// <c>Data Source</c> of a SQLite connection string; <see langword="null"/> with <paramref name="error"/> otherwise.
    /// </summary>
    public static string? SqlitePath(string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        error = null;
        var trimmed = value.Trim();
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            error = $"'{value}' is a URI; expected a SQLite file path or a \"Data Source=<path>\" connection string.";
            return null;
        }

        if (!trimmed.Contains('=', StringComparison.Ordinal))
        {
            return trimmed;
        }

        if (TryReadKeywords(trimmed, out var keywords))
        {
            foreach (var key in SqliteKeys)
            {
                if (keywords.TryGetValue(key, out var path) && !string.IsNullOrWhiteSpace(path))
                {
                    return path;
                }
            }
        }

        error = $"'{value}' is not a SQLite connection string (no Data Source); expected a SQLite file path or \"Data Source=<path>\".";
        return null;
    }

    private static bool TryReadKeywords(string value, out Dictionary<string, string> keywords)
    {
        keywords = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!value.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = value };
            foreach (string key in builder.Keys)
            {
                keywords[key] = Convert.ToString(builder[key], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }

            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
