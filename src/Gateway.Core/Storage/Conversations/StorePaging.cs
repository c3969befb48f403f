namespace Gateway.Core.Storage.Conversations;

/// <summary>The page sizes every store accepts.</summary>
public static class StorePaging
{
    /// <summary>The page size when a caller names none.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page a store returns.</summary>
    public const int MaxLimit = 200;
}
