using System.Globalization;
using Gateway.Core.Errors;

namespace Gateway.Rag.Sandbox.Internal;

/// <summary>The sandbox's errors: which code and status each refusal gets, and what its message names.</summary>
internal static class SandboxErrors
{
    public static GatewayException RootNotFound(string root, IEnumerable<string> available) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.SandboxRootNotFound,
        $"root: no sandbox root is named '{root}'; GET /api/files/roots lists them ({SandboxEnvironmentVariables.Roots} configures them).",
        new Dictionary<string, object?> { ["field"] = "root", ["root"] = root, ["availableRoots"] = available.ToList() });

    /// <summary>400: the text cannot be read as a path at all.</summary>
    public static GatewayException InvalidPath(string problem) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.InvalidPath,
        $"path: {problem}",
        new Dictionary<string, object?> { ["field"] = "path" });

    /// <summary>403: the path is well-formed but names, or leads to, something outside its root.</summary>
    public static GatewayException Denied(string root, string path, string reason) => new(
        GatewayErrorKind.Forbidden,
        GatewayErrorCodes.SandboxPathDenied,
        $"path: '{path}' {reason}; a sandbox path is relative to its root and must stay inside it.",
        new Dictionary<string, object?> { ["field"] = "path", ["root"] = root, ["path"] = path });

    public static GatewayException NotFound(string root, string path) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.FileNotFound,
        $"path: root '{root}' has no file or folder '{path}'.",
        new Dictionary<string, object?> { ["root"] = root, ["path"] = path });

    public static GatewayException NotAFile(string root, string path) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.NotAFile,
        $"path: '{path}' in root '{root}' is a folder; list it with GET /api/files.",
        new Dictionary<string, object?> { ["field"] = "path", ["root"] = root, ["path"] = path });

    public static GatewayException NotAFolder(string root, string path) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.NotAFolder,
        $"path: '{path}' in root '{root}' is a file; read it with GET /api/files/content.",
        new Dictionary<string, object?> { ["field"] = "path", ["root"] = root, ["path"] = path });

    public static GatewayException TooLarge(string root, string path, long bytes, long limit, string? limitSetting) => new(
        GatewayErrorKind.PayloadTooLarge,
        GatewayErrorCodes.FileTooLarge,
        string.Create(
            CultureInfo.InvariantCulture,
            $"path: '{path}' in root '{root}' is {bytes} bytes, over the read limit of {limit} bytes{(limitSetting is null ? string.Empty : $" ({limitSetting})")}."),
        new Dictionary<string, object?> { ["root"] = root, ["path"] = path, ["bytes"] = bytes, ["limitBytes"] = limit });
}
