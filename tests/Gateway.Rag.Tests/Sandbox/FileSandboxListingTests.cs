using Gateway.Core.Errors;
using Gateway.Rag.Sandbox;

namespace Gateway.Rag.Tests.Sandbox;

/// <summary><see cref="FileSandbox.ListFolder"/> and <see cref="FileSandbox.EnumerateFilesAsync"/> on real folders.</summary>
public sealed class FileSandboxListingTests : IDisposable
{
    private readonly SandboxFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public void ListFolder_Root_GivesNameKindSizeAndModified_FoldersFirst()
    {
        var readme = _folders.Write("readme.md", "hello");
        _folders.Write("b.txt", "bb");
        _folders.Write("notes/a.md", "a");
        var modified = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(readme, modified);

        var entries = _folders.Sandbox().ListFolder("docs", "");

        Assert.Equal(["notes", "b.txt", "readme.md"], entries.Select(entry => entry.Name));
        Assert.Equal(new SandboxEntry("notes", "notes", SandboxEntryKind.Folder, null, entries[0].Modified), entries[0]);
        Assert.Equal(new SandboxEntry("readme.md", "readme.md", SandboxEntryKind.File, 5, modified), entries[2]);
    }

    [Fact]
    public void ListFolder_Subfolder_GivesPathsInsideTheRoot()
    {
        _folders.Write("notes/2026/jan.md", "j");

        var entries = _folders.Sandbox().ListFolder("docs", "notes/2026/");

        Assert.Equal("notes/2026/jan.md", Assert.Single(entries).Path);
    }

    [Fact]
    public void ListFolder_Dotfiles_AreHiddenUnlessShown()
    {
        _folders.Write(".env", "KEY=1");
        _folders.Write(".git/HEAD", "ref");
        _folders.Write("visible.md", "v");

        Assert.Equal(["visible.md"], _folders.Sandbox().ListFolder("docs", null).Select(entry => entry.Name));
        Assert.Equal([".git", ".env", "visible.md"], _folders.Sandbox(options => options.ShowDotfiles = true).ListFolder("docs", null).Select(entry => entry.Name));
        Assert.Equal(GatewayErrorCodes.FileNotFound, Assert.Throws<GatewayException>(() => _folders.Sandbox().ListFolder("docs", ".git")).ErrorCode);
    }

    [Fact]
    public void ListFolder_LinkInsideTheRoot_IsListedAsItsTarget()
    {
        _folders.Write("notes/a.md", "abc");
        _folders.FileLink("shortcut.md", "notes/a.md");
        _folders.FolderLink("notes-again", "notes");

        var entries = _folders.Sandbox().ListFolder("docs", null);

        Assert.Equal(new SandboxEntry("shortcut.md", "shortcut.md", SandboxEntryKind.File, 3, entries.Single(e => e.Name == "shortcut.md").Modified), entries.Single(e => e.Name == "shortcut.md"));
        Assert.Equal(SandboxEntryKind.Folder, entries.Single(e => e.Name == "notes-again").Kind);
    }

    [Fact]
    public void ListFolder_AFile_IsNotAFolder()
    {
        _folders.Write("a.md", "a");

        Assert.Equal(GatewayErrorCodes.NotAFolder, Assert.Throws<GatewayException>(() => _folders.Sandbox().ListFolder("docs", "a.md")).ErrorCode);
    }

    [Fact]
    public void GetEntry_EmptyPath_IsTheRootFolder()
    {
        var root = _folders.Sandbox().GetEntry("docs", "");

        Assert.Equal(SandboxEntryKind.Folder, root.Kind);
        Assert.Equal(string.Empty, root.Path);
    }

    [Fact]
    public void RootNames_AreTheConfiguredOnesInOrder()
    {
        var sandbox = _folders.Sandbox(options => options.Roots["archive"] = _folders.Outside);

        Assert.Equal(["archive", "docs"], sandbox.RootNames);
    }

    [Fact]
    public async Task EnumerateFiles_WithGlobs_GivesMatchingFilesBelowTheFolderAtEveryDepth()
    {
        _folders.Write("handbook/intro.md", "i");
        _folders.Write("handbook/leave/sick.MD", "s");
        _folders.Write("handbook/leave/form.pdf", "%PDF");
        _folders.Write("handbook/drafts/wip.md", "w");
        _folders.Write("handbook/.obsidian/cache.md", "c");
        _folders.Write("elsewhere.md", "e");

        var files = await Enumerate("handbook", ["**/*.md"], ["drafts/**"]);

        Assert.Equal(["handbook/intro.md", "handbook/leave/sick.MD"], files.Select(entry => entry.Path).Order(StringComparer.Ordinal));
        Assert.All(files, entry => Assert.Equal(SandboxEntryKind.File, entry.Kind));
    }

    [Fact]
    public async Task EnumerateFiles_NoGlobs_GivesEveryVisibleFileOfTheRoot()
    {
        _folders.Write("a.txt", "a");
        _folders.Write("x/y/z.txt", "z");
        _folders.Write(".hidden/secret.txt", "h");

        var files = await Enumerate(null, null, null);

        Assert.Equal(["a.txt", "x/y/z.txt"], files.Select(entry => entry.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EnumerateFiles_LinksOutsideAndLoops_AreSkippedAndEachFolderWalkedOnce()
    {
        _folders.Write("notes/a.md", "a");
        _folders.FolderLink("notes/out", _folders.Outside);
        _folders.FileLink("notes/secret.txt", Path.Join(_folders.Outside, "secret.txt"));
        _folders.FolderLink("notes/up", "..");
        _folders.FileLink("notes/ping", "pong");
        _folders.FileLink("notes/pong", "ping");

        var files = await Enumerate(null, null, null);

        Assert.Equal(["notes/a.md"], files.Select(entry => entry.Path));
    }

    [Fact]
    public async Task EnumerateFiles_AFile_IsNotAFolder()
    {
        _folders.Write("a.md", "a");

        var error = await Assert.ThrowsAsync<GatewayException>(() => Enumerate("a.md", null, null));

        Assert.Equal(GatewayErrorCodes.NotAFolder, error.ErrorCode);
    }

    private async Task<List<SandboxEntry>> Enumerate(string? path, string[]? include, string[]? exclude)
    {
        var files = new List<SandboxEntry>();
        await foreach (var entry in _folders.Sandbox().EnumerateFilesAsync("docs", path, include, exclude))
        {
            files.Add(entry);
        }

        return files;
    }
}
