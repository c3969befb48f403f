using Gateway.Core.Storage.Conversations.Archive;
using Xunit.Abstractions;
using static Gateway.Core.Tests.Storage.Archive.ArchiveTestData;

namespace Gateway.Core.Tests.Storage.Archive;

[Collection(ProcessMemoryCollection.Name)]
public sealed class ConversationArchiveStreamingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ReadAsync_HundredMegabyteExport_ReadsEveryConversationInBoundedMemory()
    {
        const int Conversations = 2_000;
        const int MessagesPerConversation = 20;
        const long MemoryCeiling = 32L * 1024 * 1024;
        var source = new GeneratedExportStream(Conversations, MessagesPerConversation, contentChars: 2_500);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        var count = 0;
        var messages = 0L;

        await foreach (var conversation in ConversationArchiveReader.ReadAsync(source, Time))
        {
            Assert.Equal(GeneratedExportStream.ConversationId(count), conversation.Conversation.Id);
            count++;
            messages += conversation.Messages.Count;
            if (count % 50 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        output.WriteLine($"read {source.Produced:N0} bytes, {count} conversations, {messages:N0} messages; peak managed growth {peak:N0} bytes");
        Assert.Equal(Conversations, count);
        Assert.Equal((long)Conversations * MessagesPerConversation, messages);
        Assert.True(source.Produced > 100_000_000, $"the generated file is only {source.Produced:N0} bytes");
        Assert.True(peak < MemoryCeiling, $"peak managed memory growth {peak:N0} bytes while reading a {source.Produced:N0}-byte file");
    }

    [Fact]
    public async Task ReadAsync_OneBytePerRead_ReadsTheSameConversations()
    {
        var input = ConversationArchiveRoundTripTests.SampleConversations();
        using var file = new MemoryStream();
        await ConversationArchiveWriter.WriteAsync(file, ConversationArchiveRoundTripTests.ToAsync(input), Time);
        var trickle = new TrickleStream(file.ToArray());

        var output = await ReadAllAsync(trickle);

        Assert.True(trickle.Reads > file.Length, "the stream did not deliver one byte per read");
        Assert.Equal(input.Count, output.Count);
        for (var i = 0; i < input.Count; i++)
        {
            ConversationArchiveRoundTripTests.AssertEquivalent(input[i], output[i]);
        }
    }

    [Fact]
    public async Task ReadAsync_ConversationLargerThanTheInitialBuffer_BufferGrows()
    {
        var content = new string('z', 300_000);
        var json = Export(ValidConversation(1), Conversation(2, Message(21, content: content)), ValidConversation(3));

        var conversations = await ReadAllAsync(new TrickleStream(System.Text.Encoding.UTF8.GetBytes(json), chunk: 7_001));

        Assert.Equal(3, conversations.Count);
        Assert.Equal(content, conversations[1].Messages[0].Content);
    }

    [Fact]
    public async Task ReadAsync_MembersInAnotherOrder_StillRead()
    {
        // What a tool that sorts keys (jq -S) makes of an export: conversations come before format.
        var json = $$"""{"conversations":[{{ValidConversation(1)}}],"exportedAt":"2025-03-01T12:00:00Z","format":"gateway.conversations","formatVersion":1}""";

        var conversation = Assert.Single(await ReadAllAsync(Utf8(json)));

        Assert.Equal(Id(1), conversation.Conversation.Id);
    }

    [Fact]
    public async Task ReadAsync_UnknownMembers_Skipped()
    {
        var big = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $$"""{"k":[{{i}},"v",{"deep":[[null]]}]}"""));
        var json = Export(ValidConversation(1))
            .Replace("\"exportedAt\"", $"\"producer\":{{\"items\":[{big}]}},\"exportedAt\"", StringComparison.Ordinal)
            .Replace("\"archived\":false", "\"archived\":false,\"futureField\":{\"x\":1}", StringComparison.Ordinal)[..^1] + ",\"trailer\":\"end\"}";

        var conversation = Assert.Single(await ReadAllAsync(new TrickleStream(System.Text.Encoding.UTF8.GetBytes(json), chunk: 4_096)));

        Assert.Equal(2, conversation.Messages.Count);
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMark_Accepted()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(Export(ValidConversation(1)))).ToArray();

        Assert.Single(await ReadAllAsync(new MemoryStream(bytes)));
    }

    [Fact]
    public async Task ReadAsync_FirstConversation_YieldedBeforeTheRestOfTheFileIsRead()
    {
        var source = new GeneratedExportStream(1_000, 4, 1_000);

        await using var conversations = ConversationArchiveReader.ReadAsync(source, Time).GetAsyncEnumerator();

        Assert.True(await conversations.MoveNextAsync());
        Assert.Equal(GeneratedExportStream.ConversationId(0), conversations.Current.Conversation.Id);
        Assert.True(source.Produced < 256 * 1024, $"{source.Produced:N0} bytes were read before the first conversation came out");
    }

    [Fact]
    public async Task ReadAsync_CancelledBetweenConversations_Stops()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new GeneratedExportStream(10_000, 2, 100);
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in ConversationArchiveReader.ReadAsync(source, Time, cancellation.Token))
            {
                if (++read == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.True(source.Produced < 10_000 * 400, "the reader went on reading after cancellation");
    }
}
