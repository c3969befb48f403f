namespace Gateway.Core.Storage.Migrations;

/// <summary>What a run of <see cref="MigrationRunner"/> did.</summary>
/// <param name="FromVersion">The schema version before.</param>
/// <param name="ToVersion">The schema version after.</param>
/// <param name="BackupPath">Where the database was copied first; <see langword="null"/> when nothing changed or there was nothing to keep.</param>
public sealed record MigrationResult(int FromVersion, int ToVersion, string? BackupPath);
