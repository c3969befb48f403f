using System.Text;
using System.Text.Json;

namespace Gateway.Core.Storage.Conversations.Archive.Internal;

/// <summary>
/// Follows a token stream and knows the JSON path of the value being read, for error messages only:
/// the normal path never pays for it.
/// </summary>
internal sealed class JsonPathTracker(string basePath)
{
    private readonly List<Frame> _frames = [];

    // Whether the innermost container's last value is complete: a failure then lies in the next element.
    private bool _afterValue;

    public string Path
    {
        get
        {
            var builder = new StringBuilder(basePath);
            for (var i = 0; i < _frames.Count; i++)
            {
                var frame = _frames[i];
                var index = _afterValue && i == _frames.Count - 1 ? frame.Index + 1 : frame.Index;
                if (frame.IsArray && index >= 0)
                {
                    builder.Append('[').Append(index).Append(']');
                }
                else if (!frame.IsArray && frame.Name is { } name)
                {
                    // Reuse the one place that decides between .name and ['name'].
                    builder.Append(ArchivePath.Property(string.Empty, name));
                }
            }

            return builder.ToString();
        }
    }

    public void Apply(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _frames[^1].Name = TryGetString(ref reader);
                _afterValue = false;
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                BeforeValue();
                _frames.Add(new Frame { IsArray = reader.TokenType == JsonTokenType.StartArray, Index = -1 });
                _afterValue = false;
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                _frames.RemoveAt(_frames.Count - 1);
                _afterValue = true;
                break;
            default:
                BeforeValue();
                _afterValue = true;
                break;
        }
    }

    private void BeforeValue()
    {
        if (_frames.Count > 0 && _frames[^1].IsArray)
        {
            _frames[^1].Index++;
        }
    }

    private static string TryGetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "?";
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private sealed class Frame
    {
        public bool IsArray { get; init; }

        public int Index { get; set; }

        public string? Name { get; set; }
    }
}
