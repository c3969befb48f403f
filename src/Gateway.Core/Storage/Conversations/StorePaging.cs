namespace Gateway.Core.Storage.Conversations;

/// <summary>The page sizes every store accepts.</summary>
public static class StorePaging
{
    /// <summary>The page size when a caller names none.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page a store returns.</summary>
    public const int MaxLimit = 200;

    /// <summary>
    /// The page from <paramref name="rows"/>, read with a limit of <paramref name="limit"/> + 1: when the
    /// extra row is there, it is dropped and the cursor after the page's last row is set.
    /// </summary>
    /// <param name="rows">Up to <paramref name="limit"/> + 1 rows, in page order; trimmed in place.</param>
    /// <param name="limit">The page size asked for.</param>
    /// <param name="cursorOf">The cursor that resumes after a row.</param>
    public static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, string> cursorOf)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cursorOf);
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveRange(limit, rows.Count - limit);
        return new Page<T>(rows, cursorOf(rows[^1]));
    }
}
