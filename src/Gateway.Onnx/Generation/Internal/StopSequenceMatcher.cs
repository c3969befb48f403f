using System.Text;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>
/// Applies a request's stop sequences to text that arrives piece by piece. Text that could still
/// turn out to be the start of a stop sequence is held back, so a streamed answer never shows
/// characters that the non-streamed answer would have cut off.
/// </summary>
internal sealed class StopSequenceMatcher
{
    private readonly string[] _stops;
    private readonly StringBuilder _held = new();

    public StopSequenceMatcher(IEnumerable<string>? stopSequences) =>
        _stops = stopSequences?.Where(stop => !string.IsNullOrEmpty(stop)).Distinct(StringComparer.Ordinal).ToArray() ?? [];

    /// <summary>Whether a stop sequence has been seen; nothing after it is ever released.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds a decoded piece and returns the text that is now certain to be part of the answer.</summary>
    public string Append(string piece)
    {
        if (Stopped)
        {
            return string.Empty;
        }

        if (_stops.Length == 0)
        {
            return piece;
        }

        _held.Append(piece);
        var held = _held.ToString();
        var cut = -1;
        foreach (var stop in _stops)
        {
            var at = held.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
            {
                cut = at;
            }
        }

        if (cut >= 0)
        {
            Stopped = true;
            _held.Clear();
            return held[..cut];
        }

        var keep = LongestPendingPrefix(held);
        _held.Remove(0, held.Length - keep);
        return held[..^keep];
    }

    /// <summary>Releases what was held back once the answer has ended without a stop sequence.</summary>
    public string Flush()
    {
        var rest = Stopped ? string.Empty : _held.ToString();
        _held.Clear();
        return rest;
    }

    /// <summary>The length of the longest end of <paramref name="text"/> that some stop sequence begins with.</summary>
    private int LongestPendingPrefix(string text)
    {
        var longest = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
