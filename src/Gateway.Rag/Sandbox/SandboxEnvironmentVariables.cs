using Gateway.Core.Configuration;

namespace Gateway.Rag.Sandbox;

/// <summary>The flat environment variables of <see cref="SandboxOptions"/> (see <c>.env.example</c>) and the keys they stand for.</summary>
internal static class SandboxEnvironmentVariables
{
    public const string Roots = "GATEWAY_SANDBOX_ROOTS";
    public const string ShowDotfiles = "GATEWAY_SANDBOX_SHOW_DOTFILES";
    public const string MaxReadBytes = "GATEWAY_SANDBOX_MAX_READ_BYTES";
    public const string MaxPathCharacters = "GATEWAY_SANDBOX_MAX_PATH_CHARS";

    /// <summary>The sandbox variables, mapped onto the <c>Gateway:Sandbox</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Pairs(Roots, Key(nameof(SandboxOptions.Roots)), "folder")
        .Flag(ShowDotfiles, Key(nameof(SandboxOptions.ShowDotfiles)))
        .Number(MaxReadBytes, Key(nameof(SandboxOptions.MaxReadBytes)))
        .Number(MaxPathCharacters, Key(nameof(SandboxOptions.MaxPathCharacters)));

    private static string Key(string property) => $"{SandboxOptions.SectionName}:{property}";
}
