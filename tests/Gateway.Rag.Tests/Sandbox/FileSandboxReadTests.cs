using System.Text;
using Gateway.Core.Errors;
using Gateway.Rag.Sandbox;
using Gateway.Rag.Sandbox.Internal;

namespace Gateway.Rag.Tests.Sandbox;

/// <summary><see cref="FileSandbox.OpenFileAsync"/>: text or binary, the media type, the read limit, and what is read.</summary>
public sealed class FileSandboxReadTests : IDisposable
{
    private readonly SandboxFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task OpenFile_Markdown_IsTextWithItsTypeLengthAndContent()
    {
        var written = _folders.Write("notes/plan.md", "# Plan\n\nDéjà vu — ünïcödé.");

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "notes/plan.md");

        Assert.True(file.IsText);
        Assert.Equal("text/markdown; charset=utf-8", file.ContentType);
        Assert.Equal(new FileInfo(written).Length, file.Length);
        Assert.Equal(new SandboxEntry("plan.md", "notes/plan.md", SandboxEntryKind.File, file.Length, File.GetLastWriteTimeUtc(written)), file.Entry);
        Assert.Equal("# Plan\n\nDéjà vu — ünïcödé.", await new StreamReader(file.Content).ReadToEndAsync());
    }

    [Fact]
    public async Task OpenFile_WithNulBytes_IsBinaryEvenNamedTxt()
    {
        _folders.Write("data.txt", [0x41, 0x00, 0x42, 0x43]);

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "data.txt");

        Assert.False(file.IsText);
        Assert.Equal("application/octet-stream", file.ContentType);
    }

    [Fact]
    public async Task OpenFile_InvalidUtf8_IsBinary()
    {
        _folders.Write("latin1.log", [0x63, 0x61, 0x66, 0xE9, 0x20, 0x6F, 0x6B]);

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "latin1.log");

        Assert.False(file.IsText);
        Assert.Equal("application/octet-stream", file.ContentType);
    }

    [Fact]
    public async Task OpenFile_KnownBinaryType_KeepsItsTypeAndIsBinary()
    {
        _folders.Write("logo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]);

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "logo.png");

        Assert.False(file.IsText);
        Assert.Equal("image/png", file.ContentType);
    }

    [Fact]
    public async Task OpenFile_Utf16WithByteOrderMark_IsTextInUtf16()
    {
        _folders.Write("wide.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("hi")]);

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "wide.txt");

        Assert.True(file.IsText);
        Assert.Equal("text/plain; charset=utf-16le", file.ContentType);
    }

    [Fact]
    public async Task OpenFile_UnknownExtensionText_IsPlainText()
    {
        _folders.Write("Makefile", "all:\n\techo hi\n");

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "Makefile");

        Assert.True(file.IsText);
        Assert.Equal("text/plain; charset=utf-8", file.ContentType);
    }

    [Fact]
    public async Task OpenFile_SampleEndsInsideAMultiByteCharacter_IsStillText()
    {
        // 8191 ASCII bytes, then 'é' (two bytes): the 8 KiB sample cuts it in half.
        _folders.Write("long.txt", new string('a', ContentSniffer.SampleBytes - 1) + "é and more");

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "long.txt");

        Assert.True(file.IsText);
    }

    [Fact]
    public async Task OpenFile_EmptyFile_IsEmptyText()
    {
        _folders.Write("empty.json", []);

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "empty.json");

        Assert.True(file.IsText);
        Assert.Equal("application/json; charset=utf-8", file.ContentType);
        Assert.Equal(0, file.Length);
        Assert.Equal(-1, file.Content.ReadByte());
    }

    [Fact]
    public async Task OpenFile_NamedPipe_ReadsEmptyWithoutWaitingForAWriter()
    {
        var pipe = Path.Join(_folders.Root, "pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "pipe");

        Assert.Equal(0, file.Length);
        Assert.Equal(-1, file.Content.ReadByte());
    }

    [Fact]
    public async Task OpenFile_OverTheReadLimit_Is413NamingTheLimitAndTheSetting()
    {
        _folders.Write("big.txt", new string('x', 2048));

        var error = await Assert.ThrowsAsync<GatewayException>(() => _folders.Sandbox(options => options.MaxReadBytes = 1024).OpenFileAsync("docs", "big.txt"));

        Assert.Equal(GatewayErrorCodes.FileTooLarge, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.PayloadTooLarge, error.Kind);
        Assert.Equal(1024L, error.Extensions["limitBytes"]);
        Assert.Equal(2048L, error.Extensions["bytes"]);
        Assert.Contains("1024 bytes (GATEWAY_SANDBOX_MAX_READ_BYTES)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenFile_CallersOwnLimit_WinsOverTheSetting()
    {
        _folders.Write("big.txt", new string('x', 2048));
        var sandbox = _folders.Sandbox(options => options.MaxReadBytes = 1024);

        await using var file = await sandbox.OpenFileAsync("docs", "big.txt", maxBytes: 4096);
        var error = await Assert.ThrowsAsync<GatewayException>(() => sandbox.OpenFileAsync("docs", "big.txt", maxBytes: 100));

        Assert.Equal(2048, file.Length);
        Assert.Equal(100L, error.Extensions["limitBytes"]);
    }

    [Fact]
    public async Task OpenFile_GrowingAfterItWasOpened_ReadsTheLengthItHadThen()
    {
        var path = _folders.Write("log.txt", "first line\n");

        await using var file = await _folders.Sandbox().OpenFileAsync("docs", "log.txt");
        await File.AppendAllTextAsync(path, "second line\n");

        Assert.Equal("first line\n", await new StreamReader(file.Content).ReadToEndAsync());
    }

    [Fact]
    public async Task OpenFile_Folder_IsNotAFile()
    {
        _folders.Write("notes/a.md", "a");

        var error = await Assert.ThrowsAsync<GatewayException>(() => _folders.Sandbox().OpenFileAsync("docs", "notes"));

        Assert.Equal(GatewayErrorCodes.NotAFile, error.ErrorCode);
    }

    [Fact]
    public async Task OpenFile_Missing_IsFileNotFound()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _folders.Sandbox().OpenFileAsync("docs", "notes/missing.md"));

        Assert.Equal(GatewayErrorCodes.FileNotFound, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task OpenFile_Dotfile_IsNotFoundUnlessShown()
    {
        _folders.Write(".env", "KEY=1");
        _folders.Write(".git/config", "[core]");
        _folders.FileLink("env-link", ".env");

        foreach (var hidden in new[] { ".env", ".git/config", "env-link" })
        {
            var error = await Assert.ThrowsAsync<GatewayException>(() => _folders.Sandbox().OpenFileAsync("docs", hidden));
            Assert.Equal(GatewayErrorCodes.FileNotFound, error.ErrorCode);
        }

        await using var shown = await _folders.Sandbox(options => options.ShowDotfiles = true).OpenFileAsync("docs", "env-link");
        Assert.Equal("KEY=1", await new StreamReader(shown.Content).ReadToEndAsync());
    }

    [Fact]
    public void OpenedFilePath_OfAnOpenHandle_IsTheFilesRealPath()
    {
        var path = _folders.Write("notes/a.md", "a");
        _folders.FileLink("a-link.md", "notes/a.md");

        using var handle = File.OpenHandle(Path.Join(_folders.Root, "a-link.md"));

        Assert.Equal(path, OpenedFilePath.Of(handle));
    }
}
