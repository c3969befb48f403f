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

    public string Path
    {
        get
        {
            var builder = new StringBuilder(basePath);
            foreach (var frame in _frames)
            {
                if (frame.IsArray && frame.Index >= 0)
                {
                    builder.Append('[').Append(frame.Index).Append(']');
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
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                BeforeValue();
                _frames.Add(new Frame { IsArray = reader.TokenType == JsonTokenType.StartArray, Index = -1 });
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                _frames.RemoveAt(_frames.Count - 1);
                break;
            default:
                BeforeValue();
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
