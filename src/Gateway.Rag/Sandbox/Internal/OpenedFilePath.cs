using Microsoft.Win32.SafeHandles;

namespace Gateway.Rag.Sandbox.Internal;

/// <summary>
/// Where an opened file really is, read from the open handle itself rather than from a path that may
/// have changed since it was checked: on Linux the kernel's <c>/proc/self/fd/&lt;n&gt;</c> link names it.
/// Elsewhere it is unknown (<see langword="null"/>), and the check made before opening stands alone (ADR 0021).
/// </summary>
internal static class OpenedFilePath
{
    public static string? Of(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var descriptor = handle.DangerousGetHandle().ToInt64();
        var target = new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget;
        // A file deleted since it was opened is named "<path> (deleted)"; it was inside or outside just the same.
        const string Deleted = " (deleted)";
        return target is not null && target.EndsWith(Deleted, StringComparison.Ordinal) ? target[..^Deleted.Length] : target;
    }
}
