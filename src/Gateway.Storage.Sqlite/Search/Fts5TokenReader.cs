using System.Runtime.CompilerServices;
using System.Text;

namespace Gateway.Storage.Sqlite.Search;

/// <summary>
/// Reads the tokens of a text one at a time, as <see cref="Fts5Tokenizer"/> defines them, folding each
/// into a reused buffer: scoring a thousand candidates allocates nothing per token.
/// </summary>
internal ref struct Fts5TokenReader
{
    private readonly ReadOnlySpan<char> _text;
    private char[] _buffer;
    private int _position;
    private int _length;
    private int _start;

    /// <summary>Reads <paramref name="text"/>, folding tokens into <paramref name="buffer"/> (replaced by a larger one when a token needs it).</summary>
    public Fts5TokenReader(ReadOnlySpan<char> text, char[] buffer)
    {
        _text = text;
        _buffer = buffer;
    }

    /// <summary>The current token, folded; valid until the next <see cref="MoveNext"/>.</summary>
    public readonly ReadOnlySpan<char> Current => _buffer.AsSpan(0, _length);

    /// <summary>Where the current token starts in the text (UTF-16 index).</summary>
    public readonly int CurrentStart => _start;

    /// <summary>Where the current token ends in the text (UTF-16 index, exclusive).</summary>
    public readonly int CurrentEnd => _position;

    /// <summary>The buffer in use, possibly grown: hand it to the next reader.</summary>
    public readonly char[] Buffer => _buffer;

    /// <summary>Moves to the next token; <see langword="false"/> at the end of the text.</summary>
    // Optimised from the first call: a search runs it for every character of a thousand messages, so
    // unoptimised first-tier code would cost the first requests after start-up several milliseconds.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MoveNext()
    {
        var text = _text;
        var position = _position;

        // Separators up to the first token character. A diacritic cannot start a token.
        while (true)
        {
            if (position >= text.Length)
            {
                _position = position;
                _length = 0;
                return false;
            }

            var c = text[position];
            if (c < 0x80)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    break;
                }

                position++;
            }
            else if (char.IsSurrogate(c))
            {
                var width = ReadSupplementary(text, position, out var folded);
                if (folded >= 0)
                {
                    break;
                }

                position += width;
            }
            else
            {
                var value = Fts5Tokenizer.ClassifyBmp(c);
                if (!Fts5Tokenizer.IsSeparatorValue(value) && !Fts5Tokenizer.IsDiacriticValue(value))
                {
                    break;
                }

                position++;
            }
        }

        _start = position;
        var length = 0;
        while (position < text.Length)
        {
            if (length + 2 > _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var c = text[position];
            if (c < 0x80)
            {
                if (!char.IsAsciiLetterOrDigit(c))
                {
                    break;
                }

                _buffer[length++] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
                position++;
            }
            else if (char.IsSurrogate(c))
            {
                var width = ReadSupplementary(text, position, out var folded);
                if (folded < 0)
                {
                    break;
                }

                length += new Rune(folded).EncodeToUtf16(_buffer.AsSpan(length));
                position += width;
            }
            else
            {
                var value = Fts5Tokenizer.ClassifyBmp(c);
                if (Fts5Tokenizer.IsSeparatorValue(value))
                {
                    break;
                }

                if (!Fts5Tokenizer.IsDiacriticValue(value))
                {
                    _buffer[length++] = value;
                }

                position++;
            }
        }

        _position = position;
        _length = length;
        return true;
    }

    // A surrogate pair, or a lone surrogate read as U+FFFD (as it reaches SQLite in UTF-8): its width in
    // chars, and its folded code point, or -1 for a separator.
    private static int ReadSupplementary(ReadOnlySpan<char> text, int position, out int folded)
    {
        Rune.DecodeFromUtf16(text[position..], out var rune, out var width);
        folded = rune.IsBmp ? FoldBmp((char)rune.Value) : Fts5Tokenizer.FoldSupplementary(rune.Value);
        return width;
    }

    private static int FoldBmp(char c)
    {
        var value = Fts5Tokenizer.ClassifyBmp(c);
        return Fts5Tokenizer.IsSeparatorValue(value) || Fts5Tokenizer.IsDiacriticValue(value) ? -1 : value;
    }
}
