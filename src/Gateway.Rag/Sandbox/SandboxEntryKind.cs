namespace Gateway.Rag.Sandbox;

/// <summary>What a <see cref="SandboxEntry"/> is.</summary>
public enum SandboxEntryKind
{
    /// <summary>A file (or a link to one inside the root).</summary>
    File,

    /// <summary>A folder (or a link to one inside the root).</summary>
    Folder,
}
