using System.Text;

namespace Gateway.AspNetCore.Metrics;

/// <summary>
/// The tag set that identifies one series, kept as first seen, and its label text rendered once:
/// <c>model_key="main",provider="openai"</c>, sorted by label name so the order tags were passed in
/// does not matter.
/// </summary>
internal sealed class LabelSet
{
    private readonly KeyValuePair<string, object?>[] _tags;

    public LabelSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _tags = tags.ToArray();
        Text = Render(_tags);
    }

    /// <summary>The labels as UTF-8, without braces; empty when there are none.</summary>
    public byte[] Text { get; }

    /// <summary>A hash that ignores the order of the tags.</summary>
    public static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            // Addition commutes, so any order of the same tags gives the same hash.
            hash = unchecked(hash + HashCode.Combine(tag.Key, tag.Value));
        }

        return hash;
    }

    /// <summary>Whether <paramref name="tags"/> is this set, in any order. Allocates nothing.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != _tags.Length)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            var found = false;
            foreach (var own in _tags)
            {
                if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal) && Equals(own.Value, tag.Value))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Render(KeyValuePair<string, object?>[] tags)
    {
        if (tags.Length == 0)
        {
            return [];
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            // Two keys that sanitise to the same label name would make an invalid line; the first wins.
            labels.TryAdd(PrometheusNames.LabelName(tag.Key), PrometheusText.EscapeLabelValue(PrometheusText.LabelValue(tag.Value)));
        }

        var text = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"").Append(value).Append('"');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
