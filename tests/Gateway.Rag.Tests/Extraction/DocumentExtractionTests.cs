using Gateway.Core.Errors;
using Gateway.Rag.Extraction;

namespace Gateway.Rag.Tests.Extraction;

/// <summary>What every file goes through: its type, its size and whether it has text.</summary>
public sealed class DocumentExtractionTests : IDisposable
{
    private readonly DocumentFiles _files = new() { Extraction = new DocumentExtraction(maxBytes: 100) };

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("slides.pptx")]
    [InlineData("no-extension")]
    public async Task Extract_UnsupportedType_NamesTheSupportedOnes(string fileName)
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _files.ExtractAsync(fileName, "some text"));

        Assert.Equal(GatewayErrorCodes.UnsupportedDocumentType, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal($"{fileName}: documents of this type cannot be ingested; the supported types are .md, .markdown, .txt, .text, .pdf, .json, .jsonl, .ndjson.", error.Message);
        Assert.Equal(DocumentExtraction.SupportedTypes, error.Extensions["supported"]);
    }

    [Fact]
    public async Task Extract_TypeIgnoresCase()
    {
        var document = await _files.ExtractAsync("README.MD", "# Hello\n\nWorld.");

        Assert.Equal("Hello", Assert.Single(document.Sections).HeadingPath);
    }

    [Fact]
    public async Task Extract_FileOverTheByteLimit_IsPayloadTooLargeNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _files.ExtractAsync("big.txt", new string('a', 101)));

        Assert.Equal(GatewayErrorCodes.PayloadTooLarge, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.PayloadTooLarge, error.Kind);
        Assert.Equal("big.txt: 101 bytes are more than the limit of 100 bytes (RAG_MAX_DOCUMENT_BYTES); split the document or raise the limit.", error.Message);
    }

    [Fact]
    public async Task Extract_UnseekableStreamOverTheLimit_StopsReadingAtTheLimit()
    {
        await using var stream = new UnseekableStream(new string('a', 500));

        var error = await Assert.ThrowsAsync<GatewayException>(() => new DocumentExtraction(maxBytes: 100).ExtractAsync(stream, "stream.txt"));

        Assert.Equal(GatewayErrorCodes.PayloadTooLarge, error.ErrorCode);
        Assert.Contains("RAG_MAX_DOCUMENT_BYTES", error.Message, StringComparison.Ordinal);
        Assert.True(stream.BytesRead < 500);
    }

    [Fact]
    public async Task Extract_FileAtTheLimit_IsRead()
    {
        var document = await _files.ExtractAsync("full.txt", new string('a', 100));

        Assert.Equal(100, document.Text.Length);
    }

    [Theory]
    [InlineData("empty.md", "")]
    [InlineData("blank.txt", " \n\n\t ")]
    public async Task Extract_NoText_IsDocumentHasNoText(string fileName, string content)
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _files.ExtractAsync(fileName, content));

        Assert.Equal(GatewayErrorCodes.DocumentHasNoText, error.ErrorCode);
    }

    [Fact]
    public async Task Extract_TextNotUtf8_IsDocumentCorrupt()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _files.ExtractAsync("latin1.txt", [0x43, 0x61, 0x66, 0xE9, 0x20, 0x21]));

        Assert.Equal(GatewayErrorCodes.DocumentCorrupt, error.ErrorCode);
        Assert.Equal("latin1.txt: the document cannot be read: it is not UTF-8 text.", error.Message);
    }

    /// <summary>A stream that cannot tell its length, as an upload's body cannot, counting the bytes read from it.</summary>
    private sealed class UnseekableStream(string content) : Stream
    {
        private readonly MemoryStream _inner = new(System.Text.Encoding.UTF8.GetBytes(content));

        public int BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, Math.Min(count, 40));
            BytesRead += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
