using System.Globalization;
using System.Text;

namespace Gateway.Core.Tests.Storage.Archive;

/// <summary>
/// A gateway export produced on the fly, one conversation at a time, so a test can read a file far larger
/// than the memory it allows the reader without ever holding the file itself.
/// </summary>
internal sealed class GeneratedExportStream(int conversations, int messagesPerConversation, int contentChars) : ForwardOnlyReadStream
{
    private readonly string _content = BuildContent(contentChars);
    private byte[] _chunk = """{"format":"gateway.conversations","formatVersion":1,"exportedAt":"2025-03-01T12:00:00Z","conversations":["""u8.ToArray();
    private int _chunkPosition;
    private int _next;
    private bool _ended;

    public long Produced { get; private set; }

    public static string ConversationId(int index) => ArchiveTestData.Id(index * 1000);

    public override int Read(Span<byte> buffer)
    {
        while (_chunkPosition == _chunk.Length)
        {
            if (_next < conversations)
            {
                _chunk = Encoding.UTF8.GetBytes((_next > 0 ? "," : string.Empty) + Conversation(_next++));
            }
            else if (!_ended)
            {
                _ended = true;
                _chunk = "]}"u8.ToArray();
            }
            else
            {
                return 0;
            }

            _chunkPosition = 0;
        }

        var count = Math.Min(buffer.Length, _chunk.Length - _chunkPosition);
        _chunk.AsSpan(_chunkPosition, count).CopyTo(buffer);
        _chunkPosition += count;
        Produced += count;
        return count;
    }

    private string Conversation(int index)
    {
        var builder = new StringBuilder(messagesPerConversation * (contentChars + 300));
        var id = ConversationId(index);
        builder.Append(CultureInfo.InvariantCulture, $$"""{"id":"{{id}}","title":"Generated {{index}}","spaceId":null,"metadata":{"n":{{index}}},"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z","archived":false,"activeMessageId":null,"messages":[""");
        for (var m = 0; m < messagesPerConversation; m++)
        {
            var parent = m == 0 ? "null" : $"\"{ArchiveTestData.Id(index * 1000 + m)}\"";
            builder.Append(CultureInfo.InvariantCulture, $$"""{{(m > 0 ? "," : "")}}{"id":"{{ArchiveTestData.Id(index * 1000 + m + 1)}}","parentId":{{parent}},"role":"{{(m % 2 == 0 ? "user" : "assistant")}}","content":"{{_content}}","modelKey":null,"inputTokens":{{m}},"outputTokens":null,"status":"complete","createdAt":"2025-01-01T00:00:00Z"}""");
        }

        return builder.Append("]}").ToString();
    }

    private static string BuildContent(int length)
    {
        const string Words = "the quick brown fox jumps over the lazy dog while streaming exports stay small ";
        var builder = new StringBuilder(length);
        while (builder.Length < length)
        {
            builder.Append(Words);
        }

        return builder.ToString(0, length);
    }
}
