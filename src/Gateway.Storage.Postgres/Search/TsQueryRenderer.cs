using System.Text;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Postgres.Search;

/// <summary>
/// Renders a parsed <see cref="SearchExpression"/> for PostgreSQL. Words and phrases go to
/// <c>websearch_to_tsquery</c>, each one double-quoted so that words such as <c>or</c> or a leading
/// <c>-</c> are never read as its operators (and it accepts any text without a syntax error);
/// exclusions are <c>-"…"</c>. Prefixes, which websearch syntax lacks, go to <c>to_tsquery</c> as
/// single-quoted lexemes with <c>:*</c>; the parser has already reduced every term to letters, digits
/// and single spaces, so nothing in a quote can close it. The two halves are joined with <c>&amp;&amp;</c>.
/// </summary>
internal static class TsQueryRenderer
{
    /// <summary>The SQL expression of the query over the parameters <c>@web</c> and <c>@prefix</c>, and their values.</summary>
    public static (string Sql, string? Web, string? Prefix) Render(SearchExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var web = new StringBuilder();
        var prefix = new StringBuilder();
        foreach (var term in expression.Required)
        {
            Append(term, excluded: false, web, prefix);
        }

        foreach (var term in expression.Excluded)
        {
            Append(term, excluded: true, web, prefix);
        }

        var webText = web.Length == 0 ? null : web.ToString();
        var prefixText = prefix.Length == 0 ? null : prefix.ToString();
        var sql = (webText, prefixText) switch
        {
            (not null, not null) => "(websearch_to_tsquery('gateway_search', @web) && to_tsquery('gateway_search', @prefix))",
            (not null, null) => "websearch_to_tsquery('gateway_search', @web)",
            _ => "to_tsquery('gateway_search', @prefix)",
        };
        return (sql, webText, prefixText);
    }

    private static void Append(SearchTerm term, bool excluded, StringBuilder web, StringBuilder prefix)
    {
        if (!term.IsPrefix)
        {
            if (web.Length > 0)
            {
                web.Append(' ');
            }

            web.Append(excluded ? "-\"" : "\"").Append(term.Text.Replace("\"", string.Empty, StringComparison.Ordinal)).Append('"');
            return;
        }

        if (prefix.Length > 0)
        {
            prefix.Append(" & ");
        }

        prefix.Append(excluded ? "!(" : "(");
        var words = term.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            if (i > 0)
            {
                prefix.Append(" <-> ");
            }

            // The parser keeps only letters, digits, '_' and combining marks; dropping quotes and
            // backslashes anyway keeps this safe even if that ever changes.
            prefix.Append('\'').Append(words[i].Replace("'", string.Empty, StringComparison.Ordinal).Replace("\\", string.Empty, StringComparison.Ordinal)).Append('\'');
            if (i == words.Length - 1)
            {
                prefix.Append(":*");
            }
        }

        prefix.Append(')');
    }
}
