using Gateway.Rag.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Rag.Tests.Sandbox;

/// <summary>
/// A fresh temporary folder holding <c>root/</c> (served as root <c>docs</c>) and <c>outside/</c> (with a
/// secret no sandbox path may reach), deleted afterwards.
/// </summary>
public sealed class SandboxFolders : IDisposable
{
    public const string Secret = "the secret outside the root";

    public SandboxFolders()
    {
        Base = Directory.CreateTempSubdirectory("gateway-sandbox-").FullName;
        Root = Directory.CreateDirectory(Path.Join(Base, "root")).FullName;
        Outside = Directory.CreateDirectory(Path.Join(Base, "outside")).FullName;
        File.WriteAllText(Path.Join(Outside, "secret.txt"), Secret);
        Directory.CreateDirectory(Path.Join(Outside, "folder"));
        File.WriteAllText(Path.Join(Outside, "folder", "inner.txt"), Secret);
    }

    public string Base { get; }

    public string Root { get; }

    public string Outside { get; }

    /// <summary>Writes <paramref name="text"/> at <paramref name="path"/> under the root, making its folders.</summary>
    public string Write(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));

    public string Write(string path, byte[] bytes)
    {
        var full = Path.Join(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    /// <summary>Creates a link at <paramref name="path"/> under the root whose target is <paramref name="target"/>, as written.</summary>
    public void FileLink(string path, string target) => File.CreateSymbolicLink(Path.Join(Root, path), target);

    public void FolderLink(string path, string target) => Directory.CreateSymbolicLink(Path.Join(Root, path), target);

    public FileSandbox Sandbox(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions();
        options.Roots["docs"] = Root;
        configure?.Invoke(options);
        return new FileSandbox(Options.Create(options), NullLogger<FileSandbox>.Instance);
    }

    public void Dispose() => Directory.Delete(Base, recursive: true);
}
