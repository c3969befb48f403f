using Gateway.Core.Errors;

namespace Gateway.Rag.Tests.Sandbox;

/// <summary>Every way out of a root, one test each, on real folders and links: each is refused, and nothing outside is read or listed.</summary>
public sealed class FileSandboxEscapeTests : IDisposable
{
    private readonly SandboxFolders _folders = new();

    public FileSandboxEscapeTests()
    {
        _folders.Write("notes/today.md", "# Today");
    }

    public void Dispose() => _folders.Dispose();

    [Theory]
    [InlineData("..")]
    [InlineData("../outside/secret.txt")]
    [InlineData("notes/../../outside/secret.txt")]
    [InlineData("notes/../notes/today.md")]
    public async Task Path_WithDotDot_IsDenied(string path)
    {
        var error = await ReadErrorAsync(path);

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.Forbidden, error.Kind);
        Assert.Contains("'..'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_Absolute_IsDenied()
    {
        var error = await ReadErrorAsync(Path.Join(_folders.Outside, "secret.txt"));

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, error.ErrorCode);
        Assert.Contains("absolute", error.Message, StringComparison.Ordinal);
        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, (await ReadErrorAsync("/etc/passwd")).ErrorCode);
    }

    [Theory]
    [InlineData("%2e%2e/outside/secret.txt")]
    [InlineData("%2E%2E%2Foutside%2Fsecret.txt")]
    [InlineData("notes%2ftoday.md")]
    [InlineData("%252e%252e/outside")]
    public async Task Path_StillPercentEncoded_IsInvalid(string path)
    {
        var error = await ReadErrorAsync(path);

        Assert.Equal(GatewayErrorCodes.InvalidPath, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("percent-encoded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_PercentSignNotEncoding_IsReadAsAName()
    {
        _folders.Write("100% done.txt", "done");

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "100% done.txt");

        Assert.Equal("100% done.txt", file.Entry.Name);
    }

    [Theory]
    [InlineData("..\\outside\\secret.txt")]
    [InlineData("notes\\today.md")]
    public async Task Path_WithBackslash_IsInvalid(string path)
    {
        var error = await ReadErrorAsync(path);

        Assert.Equal(GatewayErrorCodes.InvalidPath, error.ErrorCode);
        Assert.Contains("backslash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_WithNulByte_IsInvalid()
    {
        var error = await ReadErrorAsync("notes/today.md\0.txt");

        Assert.Equal(GatewayErrorCodes.InvalidPath, error.ErrorCode);
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_WithControlCharacter_IsInvalid()
    {
        var error = await ReadErrorAsync("notes/to\nday.md");

        Assert.Equal(GatewayErrorCodes.InvalidPath, error.ErrorCode);
    }

    [Fact]
    public async Task Path_OverTheLengthLimit_IsInvalidNamingTheSetting()
    {
        var path = string.Join('/', Enumerable.Repeat("notes", 300));

        var error = await ReadErrorAsync(path);

        Assert.Equal(GatewayErrorCodes.InvalidPath, error.ErrorCode);
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
        Assert.Contains("GATEWAY_SANDBOX_MAX_PATH_CHARS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_WithANameOver255Characters_IsInvalid()
    {
        var error = await ReadErrorAsync(new string('a', 256));

        Assert.Equal(GatewayErrorCodes.InvalidPath, error.ErrorCode);
    }

    [Fact]
    public async Task FileLinkInsideRootPointingOutside_IsDeniedAndNotListed()
    {
        _folders.FileLink("notes/secret.txt", Path.Join(_folders.Outside, "secret.txt"));
        var sandbox = _folders.Sandbox();

        var error = await ReadErrorAsync("notes/secret.txt");

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, error.ErrorCode);
        Assert.Contains("outside the root", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sandbox.ListFolder("docs", "notes"), entry => entry.Name == "secret.txt");
        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, Assert.Throws<GatewayException>(() => sandbox.GetEntry("docs", "notes/secret.txt")).ErrorCode);
    }

    [Fact]
    public async Task FileLinkWithRelativeTargetClimbingOut_IsDenied()
    {
        _folders.FileLink("notes/up.txt", "../../outside/secret.txt");

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, (await ReadErrorAsync("notes/up.txt")).ErrorCode);
    }

    [Fact]
    public async Task FolderLinkInsideRootPointingOutside_IsDeniedForItAndEverythingBelow()
    {
        _folders.FolderLink("elsewhere", _folders.Outside);
        var sandbox = _folders.Sandbox();

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, Assert.Throws<GatewayException>(() => sandbox.ListFolder("docs", "elsewhere")).ErrorCode);
        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, (await ReadErrorAsync("elsewhere/secret.txt")).ErrorCode);
        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, (await ReadErrorAsync("elsewhere/folder/inner.txt")).ErrorCode);
        Assert.DoesNotContain(sandbox.ListFolder("docs", null), entry => entry.Name == "elsewhere");
    }

    [Fact]
    public async Task SymlinkedParentFolder_ThatLooksInsideButIsNot_IsDenied()
    {
        // notes/archive -> the outside folder, so notes/archive/secret.txt names no link itself.
        _folders.FolderLink("notes/archive", _folders.Outside);

        var error = await ReadErrorAsync("notes/archive/secret.txt");

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, error.ErrorCode);
        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, (await ReadErrorAsync("notes/archive/nothing-here.txt")).ErrorCode);
    }

    [Fact]
    public async Task LinkThroughALinkedFolderInItsTarget_IsDenied()
    {
        // The target names no outside path itself; the folder link it passes through (deep) leads out.
        _folders.FolderLink("deep", _folders.Outside);
        _folders.FileLink("notes/through.txt", "../deep/secret.txt");

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, (await ReadErrorAsync("notes/through.txt")).ErrorCode);
    }

    [Fact]
    public async Task SymlinkChainLeavingTheRoot_IsDenied()
    {
        _folders.FileLink("one.txt", "two.txt");
        _folders.FileLink("two.txt", "notes/three.txt");
        _folders.FileLink("notes/three.txt", Path.Join(_folders.Outside, "secret.txt"));

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, (await ReadErrorAsync("one.txt")).ErrorCode);
    }

    [Fact]
    public async Task SymlinkChainStayingInside_IsRead()
    {
        _folders.FileLink("one.md", "two.md");
        _folders.FileLink("two.md", "notes/today.md");

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "one.md");

        Assert.Equal("# Today", await new StreamReader(file.Content).ReadToEndAsync());
        Assert.Equal("one.md", file.Entry.Path);
    }

    [Fact]
    public async Task LoopOfLinks_IsDeniedAndNotListed()
    {
        _folders.FileLink("ping", "pong");
        _folders.FileLink("pong", "ping");
        var sandbox = _folders.Sandbox();

        var error = await ReadErrorAsync("ping");

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, error.ErrorCode);
        Assert.Contains("loop", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sandbox.ListFolder("docs", null), entry => entry.Name is "ping" or "pong");
    }

    [Fact]
    public async Task DanglingLinkOutside_IsDeniedAndInside_IsNotFound()
    {
        _folders.FileLink("gone-outside.txt", Path.Join(_folders.Outside, "no-such-file.txt"));
        _folders.FileLink("gone-inside.txt", "notes/no-such-file.txt");

        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, (await ReadErrorAsync("gone-outside.txt")).ErrorCode);
        Assert.Equal(GatewayErrorCodes.FileNotFound, (await ReadErrorAsync("gone-inside.txt")).ErrorCode);
    }

    [Fact]
    public async Task RootThatIsItselfALink_IsBoundedByItsRealFolder()
    {
        var linkedRoot = Path.Join(_folders.Base, "linked-root");
        Directory.CreateSymbolicLink(linkedRoot, _folders.Root);
        var sandbox = _folders.Sandbox(options => options.Roots["docs"] = linkedRoot);

        await using var file = await sandbox.OpenFileAsync("docs", "notes/today.md");

        Assert.Equal("# Today", await new StreamReader(file.Content).ReadToEndAsync());
        var error = await Assert.ThrowsAsync<GatewayException>(() => sandbox.OpenFileAsync("docs", "../outside/secret.txt"));
        Assert.Equal(GatewayErrorCodes.SandboxPathDenied, error.ErrorCode);
    }

    [Fact]
    public async Task UnknownRoot_IsNotFoundListingTheRoots()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _folders.Sandbox().OpenFileAsync("nope", "notes/today.md"));

        Assert.Equal(GatewayErrorCodes.SandboxRootNotFound, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.NotFound, error.Kind);
        Assert.Equal(["docs"], (IEnumerable<string>)error.Extensions["availableRoots"]!);
    }

    private async Task<GatewayException> ReadErrorAsync(string path) =>
        await Assert.ThrowsAsync<GatewayException>(() => _folders.Sandbox().OpenFileAsync("docs", path));
}
