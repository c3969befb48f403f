namespace Gateway.Rag.Sandbox;

/// <summary>
/// The folders the read-only file sandbox serves and how it reads them. Bound from the
/// <c>Gateway:Sandbox</c> configuration section, then the flat <c>GATEWAY_SANDBOX_*</c> variables, which
/// win; registered by <c>AddFileSandbox()</c> and validated at start-up.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway:Sandbox";

    /// <summary>
    /// The roots, by name: each an absolute path of an existing folder (<c>GATEWAY_SANDBOX_ROOTS</c>, written
    /// <c>name=path;name=path</c>, or <c>Gateway:Sandbox:Roots:&lt;name&gt;</c>; default none). A name is 1 to 64
    /// letters, digits, <c>.</c>, <c>_</c> or <c>-</c>, starting with a letter or digit, and is matched ignoring case.
    /// A root that is itself a link is followed once, at start-up: its real path is the boundary.
    /// </summary>
    public IDictionary<string, string> Roots { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether entries whose name starts with <c>.</c> are listed and read (<c>GATEWAY_SANDBOX_SHOW_DOTFILES</c>;
    /// default <see langword="false"/>: they are left out of listings and answer as if they did not exist,
    /// also when a link leads into one).
    /// </summary>
    public bool ShowDotfiles { get; set; }

    /// <summary>
    /// The largest file that is read, in bytes (<c>GATEWAY_SANDBOX_MAX_READ_BYTES</c>; at least 1, default
    /// 10485760 = 10 MiB); a larger one is 413 <c>file_too_large</c>. Reads stream, so this bounds the
    /// transfer, not memory.
    /// </summary>
    public long MaxReadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// The longest path accepted inside a root, in UTF-16 characters (<c>GATEWAY_SANDBOX_MAX_PATH_CHARS</c>;
    /// 16 to 4096, default 1024); a longer one is 400 <c>invalid_path</c>. One name of it may be at most 255.
    /// </summary>
    public int MaxPathCharacters { get; set; } = 1024;
}
