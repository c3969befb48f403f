using System.Text;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Sqlite.Search;

/// <summary>
/// Renders a parsed <see cref="SearchExpression"/> as an FTS5 MATCH expression. Every term becomes an
/// FTS5 string (double-quoted, embedded quotes doubled), so nothing the user typed can be read as an
/// operator, column filter or NEAR group: <c>("a" "b c" "pre"*) NOT "x" NOT "y"</c>.
/// </summary>
internal static class Fts5QueryRenderer
{
    public static string Render(SearchExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var builder = new StringBuilder();
        var grouped = expression.Excluded.Count > 0;
        if (grouped)
        {
            // NOT binds tighter than the implicit AND in FTS5; the parentheses keep the exclusions
            // applying to the whole set of required terms whatever the precedence rules.
            builder.Append('(');
        }

        for (var i = 0; i < expression.Required.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            AppendTerm(builder, expression.Required[i]);
        }

        if (grouped)
        {
            builder.Append(')');
        }

        foreach (var excluded in expression.Excluded)
        {
            builder.Append(" NOT ");
            AppendTerm(builder, excluded);
        }

        return builder.ToString();
    }

    /// <summary>One term alone, as it appears in <see cref="Render"/>: the key of its document frequency.</summary>
    public static string RenderTerm(SearchTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var builder = new StringBuilder(term.Text.Length + 3);
        AppendTerm(builder, term);
        return builder.ToString();
    }

    private static void AppendTerm(StringBuilder builder, SearchTerm term)
    {
        builder.Append('"').Append(term.Text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        if (term.IsPrefix)
        {
            builder.Append('*');
        }
    }
}
