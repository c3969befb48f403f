namespace Gateway.Core.Storage.Migrations;

/// <summary>One known migration and whether the database has it.</summary>
/// <param name="Version">The migration's number.</param>
/// <param name="Name">What it does.</param>
/// <param name="AppliedAt">When it was applied; <see langword="null"/> while pending.</param>
public sealed record SchemaVersion(int Version, string Name, DateTimeOffset? AppliedAt)
{
    /// <summary>Whether the database has this migration.</summary>
    public bool Applied => AppliedAt is not null;
}
