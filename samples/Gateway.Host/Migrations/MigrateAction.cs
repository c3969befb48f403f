namespace Gateway.Host.Migrations;

/// <summary>What <c>migrate</c> was asked to do.</summary>
internal enum MigrateAction
{
    /// <summary>Print every known version, applied or pending.</summary>
    List,

    /// <summary>Upgrade to the newest version or to <c>--to N</c>.</summary>
    Up,

    /// <summary>Revert to version N.</summary>
    Down,

    /// <summary>Print the usage text.</summary>
    Help,
}
