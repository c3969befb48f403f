using System.Buffers;
using System.Text.Json;

namespace Gateway.Core.Storage.Conversations.Archive.Internal;

/// <summary>
/// Reads a JSON document from a stream in bounded memory: tokens of the outer structure one at a time,
/// and each conversation as one complete value. Only the value being read is buffered; a value that does
/// not fit yet makes the buffer grow (doubling, so re-scanning it stays linear overall) up to a limit.
/// </summary>
/// <remarks>
/// Every <see cref="Utf8JsonReader"/> here is built with <c>isFinalBlock: false</c> and the saved
/// <see cref="JsonReaderState"/>, so a value cut by a chunk boundary reads as "need more data" rather than
/// as an error, and line numbers in exceptions count from the start of the file. When the stream ends,
/// "need more data" with the root value still open means the file is truncated.
/// </remarks>
internal sealed class ArchiveJsonCursor : IAsyncDisposable
{
    /// <summary>The largest single conversation accepted; past it the reader would no longer run in bounded memory.</summary>
    public const int DefaultMaxValueBytes = 256 * 1024 * 1024;

    private const int InitialBufferBytes = 64 * 1024;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = ArchiveElements.MaxDepth };

    private readonly Stream _source;
    private readonly int _maxValueBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _filledOnce;
    private bool _anyToken;
    private bool _rootComplete;
    private long _offset;
    private long _line;
    private long _lineStart;
    private JsonReaderState _state = new(ReaderOptions);

    public ArchiveJsonCursor(Stream source, int maxValueBytes)
    {
        _source = source;
        _maxValueBytes = maxValueBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, maxValueBytes));
    }

    private enum Step
    {
        NeedMore,
        Value,
        EndOfArray,
    }

    /// <summary>The type of the token <see cref="ReadTokenAsync"/> read last.</summary>
    public JsonTokenType TokenType { get; private set; }

    /// <summary>The text of the last property name or string token.</summary>
    public string? StringValue { get; private set; }

    /// <summary>The value of the last number token, when it is an integer.</summary>
    public long? IntegerValue { get; private set; }

    /// <summary>The raw text of the last number token.</summary>
    public string? NumberText { get; private set; }

    private ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Reads the next token; <see langword="false"/> only at the end of the file after a complete root value.</summary>
    public async ValueTask<bool> ReadTokenAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadToken(path, final: false))
            {
                return true;
            }

            if (_endOfStream)
            {
                // Only the end of the file completes a number at the root; any other open value is cut off.
                return _rootComplete ? false : TryReadToken(path, final: true) ? true : throw Truncated(path);
            }

            await FillAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads one whole value (an array element or a member's value) and returns its bytes, valid until the
    /// next call; <see langword="null"/> when the enclosing array ends instead.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadValueAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            var step = TryReadValue(path, out var value);
            if (step == Step.Value)
            {
                return value;
            }

            if (step == Step.EndOfArray)
            {
                return null;
            }

            if (_endOfStream)
            {
                throw Diagnose(path);
            }

            if (_end - _start >= _maxValueBytes)
            {
                throw ArchiveErrors.Invalid(path, $"the value is larger than {_maxValueBytes / (1024 * 1024)} MiB, the most one conversation may hold.");
            }

            await FillAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Skips the next value without buffering it whole, however large it is.</summary>
    public async ValueTask SkipValueAsync(string path, CancellationToken cancellationToken)
    {
        await ReadTokenAsync(path, cancellationToken).ConfigureAwait(false);
        if (TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = 1; // containers opened and not yet closed
        while (!TrySkipSome(ref depth, path))
        {
            if (_endOfStream)
            {
                throw Truncated(path);
            }

            await FillAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    private bool TryReadToken(string path, bool final)
    {
        var reader = new Utf8JsonReader(Available, final, _state);
        try
        {
            if (!reader.Read())
            {
                return false;
            }
        }
        catch (JsonException) when (final)
        {
            return false;
        }
        catch (JsonException exception)
        {
            throw _rootComplete
                ? SyntaxError(ArchivePath.Root, "unexpected data after the end of the JSON document.", exception)
                : SyntaxError(path, ArchiveErrors.SyntaxProblem(exception), exception);
        }

        TokenType = reader.TokenType;
        StringValue = null;
        IntegerValue = null;
        NumberText = null;
        try
        {
            if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String)
            {
                StringValue = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.Number)
            {
                NumberText = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                IntegerValue = reader.TryGetInt64(out var integer) ? integer : null;
            }
        }
        catch (InvalidOperationException exception)
        {
            throw ArchiveErrors.Invalid(path, "the string is not valid UTF-8.", innerException: exception);
        }

        if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            _rootComplete = true;
        }

        _anyToken = true;
        Commit(reader.BytesConsumed, reader.CurrentState);
        return true;
    }

    private Step TryReadValue(string path, out ReadOnlyMemory<byte> value)
    {
        value = default;
        var reader = new Utf8JsonReader(Available, isFinalBlock: false, _state);
        try
        {
            if (!reader.Read())
            {
                return Step.NeedMore;
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                _rootComplete |= reader.CurrentDepth == 0;
                Commit(reader.BytesConsumed, reader.CurrentState);
                return Step.EndOfArray;
            }

            var valueStart = (int)reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
            {
                return Step.NeedMore;
            }

            value = _buffer.AsMemory(_start + valueStart, (int)reader.BytesConsumed - valueStart);
        }
        catch (JsonException)
        {
            throw Diagnose(path);
        }

        _anyToken = true;
        Commit(reader.BytesConsumed, reader.CurrentState);
        return Step.Value;
    }

    private bool TrySkipSome(ref int depth, string path)
    {
        var reader = new Utf8JsonReader(Available, isFinalBlock: false, _state);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    depth++;
                }
                else if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && --depth == 0)
                {
                    Commit(reader.BytesConsumed, reader.CurrentState);
                    return true;
                }
            }
        }
        catch (JsonException exception)
        {
            throw SyntaxError(path, ArchiveErrors.SyntaxProblem(exception), exception);
        }

        // Keep what was skipped so far: the buffer then never holds more than one token of the skipped value.
        Commit(reader.BytesConsumed, reader.CurrentState);
        return false;
    }

    /// <summary>
    /// Re-reads the value that failed, tracking where in it the reader is, so the error names the innermost
    /// member (<c>…messages[2].content</c>) rather than just the conversation.
    /// </summary>
    private Exception Diagnose(string path)
    {
        var tracker = new JsonPathTracker(path);
        var reader = new Utf8JsonReader(Available, isFinalBlock: false, _state);
        try
        {
            while (reader.Read())
            {
                tracker.Apply(ref reader);
            }
        }
        catch (JsonException exception)
        {
            return SyntaxError(tracker.Path, ArchiveErrors.SyntaxProblem(exception), exception);
        }

        return Truncated(tracker.Path);
    }

    private Exception Truncated(string path)
    {
        if (!_anyToken && Available.Trim(" \t\r\n"u8).IsEmpty)
        {
            return ArchiveErrors.Invalid(path, "the file is empty; expected a gateway export (an object) or a ChatGPT conversations.json (an array).");
        }

        var endOfFile = _offset + (_end - _start);
        var tail = Available;
        var line = _line + tail.Count((byte)'\n');
        return ArchiveErrors.Invalid(path, "the file ends in the middle of the JSON document; it is truncated.", line + 1, endOfFile);
    }

    private Exception SyntaxError(string path, string problem, JsonException exception)
    {
        long? line = exception.LineNumber is { } zeroBased ? zeroBased + 1 : null;
        long? position = exception.LineNumber is { } lineNumber && exception.BytePositionInLine is { } inLine ? FileOffset(lineNumber, inLine) : null;
        return ArchiveErrors.Invalid(path, problem, line, position, exception);
    }

    /// <summary>The file offset of a reader position, from the line count kept as bytes are consumed.</summary>
    private long? FileOffset(long line, long bytePositionInLine)
    {
        var lineStart = _lineStart;
        var available = Available;
        var scanned = 0;
        for (var current = _line; current < line; current++)
        {
            var newline = available[scanned..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return null;
            }

            scanned += newline + 1;
            lineStart = _offset + scanned;
        }

        return lineStart + bytePositionInLine;
    }

    private void Commit(long consumed, JsonReaderState state)
    {
        var bytes = _buffer.AsSpan(_start, (int)consumed);
        var lastNewline = bytes.LastIndexOf((byte)'\n');
        if (lastNewline >= 0)
        {
            _line += bytes.Count((byte)'\n');
            _lineStart = _offset + lastNewline + 1;
        }

        _start += (int)consumed;
        _offset += consumed;
        _state = state;
    }

    private async ValueTask FillAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxValueBytes)
            {
                throw ArchiveErrors.Invalid(path, $"the value is larger than {_maxValueBytes / (1024 * 1024)} MiB, the most one conversation may hold.");
            }

            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _maxValueBytes));
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        // Fill the whole free space: a stream that returns a few bytes per read (a slow upload) must not make
        // every retry re-scan the buffered value for a handful of new bytes.
        while (_end < _buffer.Length)
        {
            var read = await _source.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
                break;
            }

            _end += read;
        }

        if (!_filledOnce)
        {
            _filledOnce = true;
            if (Available.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                // A byte order mark is legal before UTF-8 JSON but not JSON itself; offsets still count it.
                _start += 3;
                _offset = 3;
                _lineStart = 3;
            }
        }
    }
}
