using System.Text;
using Gateway.Core.Storage.Conversations.Archive;
using static Gateway.Core.Tests.Storage.Archive.ArchiveTestData;

namespace Gateway.Core.Tests.Storage.Archive;

public sealed class ConversationArchiveReaderErrorTests
{
    [Fact]
    public async Task ReadAsync_MalformedJsonInThirdConversation_YieldsTheFirstTwoThenNamesThePath()
    {
        var broken = ValidConversation(3).Replace("\"content\":\"hi\",", "\"content\":\"hi\" ", StringComparison.Ordinal);
        var json = Export(ValidConversation(1), ValidConversation(2), broken, ValidConversation(4));

        var (yielded, error) = await ReadUntilErrorAsync(json);

        Assert.Equal(2, yielded.Count);
        Assert.Equal("$.conversations[2].messages[1].content", PathOf(error));
        Assert.Equal(1L, error.Extensions["line"]);
        var expectedPosition = Encoding.UTF8.GetByteCount(json[..json.IndexOf("\"hi\" ", StringComparison.Ordinal)]) + "\"hi\" ".Length;
        Assert.Equal((long)expectedPosition, error.Extensions["bytePosition"]);
        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MalformedJsonOnALaterLine_ReportsLineAndFileOffset()
    {
        var json = "{\n  \"format\": \"gateway.conversations\",\n  \"formatVersion\": 1,\n  \"conversations\": [\n    " + ValidConversation(1)
            + ",\n    {\"id\": x}\n  ]\n}";

        var (yielded, error) = await ReadUntilErrorAsync(json);

        Assert.Single(yielded);
        Assert.Equal("$.conversations[1].id", PathOf(error));
        Assert.Equal(6L, error.Extensions["line"]);
        Assert.Equal((long)json.IndexOf('x', StringComparison.Ordinal), error.Extensions["bytePosition"]);
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideSecondConversation_YieldsTheFirstThenReportsTruncation()
    {
        var json = Export(ValidConversation(1), ValidConversation(2));
        var cut = json[..(json.LastIndexOf("\"content\":\"hi", StringComparison.Ordinal) + "\"content\":\"h".Length)];

        var (yielded, error) = await ReadUntilErrorAsync(cut);

        Assert.Single(yielded);
        Assert.Equal("$.conversations[1].messages[1].content", PathOf(error));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Equal((long)cut.Length, error.Extensions["bytePosition"]);
    }

    [Fact]
    public async Task ReadAsync_StreamEndsBeforeTheRootCloses_ReportsTruncationAfterTheConversations()
    {
        var json = Export(ValidConversation(1));

        var (yielded, error) = await ReadUntilErrorAsync(json[..^1]);

        Assert.Single(yielded);
        Assert.Equal("$", PathOf(error));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StreamEndsBetweenConversations_NamesTheNextElement()
    {
        var json = Export(ValidConversation(1), ValidConversation(2));
        var cut = json[..(json.IndexOf("]}", StringComparison.Ordinal) + 2)] + ",";

        var (yielded, error) = await ReadUntilErrorAsync(cut);

        Assert.Single(yielded);
        Assert.Equal("$.conversations[1]", PathOf(error));
    }

    [Theory]
    [InlineData("\"archived\":false", "\"archived\":\"yes\"", "$.conversations[0].archived", "expected a boolean, found a string")]
    [InlineData("\"role\":\"assistant\"", "\"role\":7", "$.conversations[0].messages[1].role", "expected a string, found a number")]
    [InlineData("\"metadata\":{}", "\"metadata\":[]", "$.conversations[0].metadata", "expected an object, found an array")]
    [InlineData("\"messages\":[", "\"messages\":\"none\",\"x\":[", "$.conversations[0].messages", "expected an array, found a string")]
    [InlineData("\"inputTokens\":null", "\"inputTokens\":-3", "$.conversations[0].messages[0].inputTokens", "non-negative integer")]
    [InlineData("\"createdAt\":\"2025-01-01T00:00:00Z\"", "\"createdAt\":\"2025-01-01T00:00:00\"", "$.conversations[0].createdAt", "UTC offset")]
    [InlineData("\"createdAt\":\"2025-01-01T00:00:01Z\"", "\"createdAt\":\"yesterday\"", "$.conversations[0].messages[0].createdAt", "ISO 8601")]
    [InlineData("\"status\":\"complete\"", "\"status\":\"done\"", "$.conversations[0].messages[0].status", "'complete', 'incomplete' or 'error'")]
    [InlineData("\"role\":\"user\"", "\"role\":\"robot\"", "$.conversations[0].messages[0].role", "'system', 'user', 'assistant' or 'tool'")]
    public async Task ReadAsync_IllTypedField_NamesItsPath(string valid, string invalid, string path, string problem)
    {
        var json = Export(ReplaceFirst(ValidConversation(1), valid, invalid));

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal(path, PathOf(error));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"The import file is invalid at {path}: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"content\":\"hi\",", "$.conversations[0].messages[1].content")]
    [InlineData("\"createdAt\":\"2025-01-01T00:00:02Z\"", "$.conversations[0].messages[1].createdAt")]
    [InlineData("\"createdAt\":\"2025-01-01T00:00:00Z\",", "$.conversations[0].createdAt")]
    [InlineData(",\"status\":\"complete\"", "$.conversations[0].messages[0].status")]
    public async Task ReadAsync_MissingRequiredField_NamesItsPath(string removed, string path)
    {
        var json = Export(ReplaceFirst(ValidConversation(1), removed, string.Empty).Replace(",}", "}", StringComparison.Ordinal));

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal(path, PathOf(error));
        Assert.Contains("is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MessageIdNotAUuid_NamesItsPath()
    {
        var json = Export(ValidConversation(1), ReplaceFirst(ValidConversation(2), Id(22), "msg-22"));

        var (yielded, error) = await ReadUntilErrorAsync(json);

        Assert.Single(yielded);
        Assert.Equal("$.conversations[1].messages[1].id", PathOf(error));
        Assert.Contains("'msg-22' is not a valid id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ConversationIdNotAUuid_NamesItsPath()
    {
        var (_, error) = await ReadUntilErrorAsync(Export(ReplaceFirst(ValidConversation(1), Id(1), "1")));

        Assert.Equal("$.conversations[0].id", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ParentIsALaterMessage_NamesParentId()
    {
        var json = Export(Conversation(1, Message(11, parent: 12), Message(12)));

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$.conversations[0].messages[0].parentId", PathOf(error));
        Assert.Contains("not an earlier message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ParentInAnotherConversation_NamesParentId()
    {
        var json = Export(ValidConversation(1), Conversation(2, Message(21, parent: 11)));

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$.conversations[1].messages[0].parentId", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_DuplicateMessageId_NamesTheSecond()
    {
        var (_, error) = await ReadUntilErrorAsync(Export(Conversation(1, Message(11), Message(11))));

        Assert.Equal("$.conversations[0].messages[1].id", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ActiveMessageNotInConversation_NamesActiveMessageId()
    {
        var json = Export(ReplaceFirst(ValidConversation(1), "\"activeMessageId\":null", $"\"activeMessageId\":\"{Id(99)}\""));

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$.conversations[0].activeMessageId", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ConversationIsNotAnObject_NamesTheElement()
    {
        var (yielded, error) = await ReadUntilErrorAsync(Export(ValidConversation(1), "42"));

        Assert.Single(yielded);
        Assert.Equal("$.conversations[1]", PathOf(error));
        Assert.Contains("expected an object, found a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnknownFormat_NamesFormat()
    {
        var (yielded, error) = await ReadUntilErrorAsync("""{"format":"other.tool.export","formatVersion":1,"conversations":[]}""");

        Assert.Empty(yielded);
        Assert.Equal("$.format", PathOf(error));
        Assert.Contains("'other.tool.export'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NewerFormatVersion_SaysWhichVersionsAreSupported()
    {
        var json = Export(ValidConversation(1)).Replace("\"formatVersion\":1", "\"formatVersion\":5", StringComparison.Ordinal);

        var (yielded, error) = await ReadUntilErrorAsync(json);

        Assert.Empty(yielded);
        Assert.Equal("$.formatVersion", PathOf(error));
        Assert.Contains("formatVersion 5 is newer", error.Message, StringComparison.Ordinal);
        Assert.Contains("supported versions: 1 to 4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"formatVersion\":\"1\"")]
    [InlineData("\"formatVersion\":1.5")]
    [InlineData("\"formatVersion\":0")]
    public async Task ReadAsync_InvalidFormatVersion_NamesFormatVersion(string member)
    {
        var json = Export(ValidConversation(1)).Replace("\"formatVersion\":1", member, StringComparison.Ordinal);

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$.formatVersion", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ObjectWithoutFormat_RejectedAtTheEnd()
    {
        var (yielded, error) = await ReadUntilErrorAsync("""{"name":"package","dependencies":{"a":"1.0"}}""");

        Assert.Empty(yielded);
        Assert.Equal("$.format", PathOf(error));
        Assert.Contains("is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MissingConversations_NamesConversations()
    {
        var (_, error) = await ReadUntilErrorAsync("""{"format":"gateway.conversations","formatVersion":1}""");

        Assert.Equal("$.conversations", PathOf(error));
    }

    [Theory]
    [InlineData(" x")]
    [InlineData("\n{}")]
    [InlineData(",")]
    [InlineData("]")]
    public async Task ReadAsync_TrailingGarbage_RejectedAfterTheLastConversation(string trailing)
    {
        var (yielded, error) = await ReadUntilErrorAsync(Export(ValidConversation(1), ValidConversation(2)) + trailing);

        Assert.Equal(2, yielded.Count);
        Assert.Equal("$", PathOf(error));
        Assert.Contains("after the end of the JSON document", error.Message, StringComparison.Ordinal);
        Assert.True(error.Extensions.ContainsKey("line"));
    }

    [Fact]
    public async Task ReadAsync_TrailingWhitespace_Accepted()
    {
        var conversations = await ReadAllAsync(Utf8(Export(ValidConversation(1)) + "\r\n\t  \n"));

        Assert.Single(conversations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public async Task ReadAsync_EmptyFile_SaysSo(string json)
    {
        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$", PathOf(error));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"conversations\"")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task ReadAsync_RootIsNeitherObjectNorArray_NamesBothFormats(string json)
    {
        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$", PathOf(error));
        Assert.Contains("ChatGPT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NotJsonAtAll_ReportsMalformedJsonAtTheRoot()
    {
        var (_, error) = await ReadUntilErrorAsync("PK\u0003\u0004 this is a zip");

        Assert.Equal("$", PathOf(error));
        Assert.Equal(0L, error.Extensions["bytePosition"]);
    }

    [Fact]
    public async Task ReadAsync_ConversationOverTheSizeLimit_RefusedWithItsPath()
    {
        var large = Conversation(2, Message(21, content: new string('a', 5000)));
        var json = Export(ValidConversation(1), large);

        var error = await Assert.ThrowsAsync<Gateway.Core.Errors.GatewayException>(async () =>
        {
            await foreach (var _ in ConversationArchiveReader.ReadAsync(Utf8(json), Time, maxConversationBytes: 4096))
            {
            }
        });

        Assert.Equal("$.conversations[1]", PathOf(error));
        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string oldValue, string newValue)
    {
        var index = text.IndexOf(oldValue, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{oldValue}' is not in the test document");
        return string.Concat(text.AsSpan(0, index), newValue, text.AsSpan(index + oldValue.Length));
    }
}
