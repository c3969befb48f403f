namespace Gateway.Core.Storage.Migrations;

/// <summary>A migration step failed or was refused; the database stays at <see cref="CurrentVersion"/>.</summary>
public sealed class MigrationException : Exception
{
    /// <summary>Creates the error.</summary>
    public MigrationException(string message, int currentVersion, Exception? innerException = null)
        : base(message, innerException) => CurrentVersion = currentVersion;

    /// <summary>The schema version the database is at after the failure.</summary>
    public int CurrentVersion { get; }
}
