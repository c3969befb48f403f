using Microsoft.Extensions.AI;

namespace Gateway.AI.Conformance;

/// <summary>
/// What every provider's <see cref="IChatClient"/> must do, as dotnet/extensions' suites ask of theirs: a text answer,
/// streamed updates that add up to the same answer, usage, a finish reason, the options taking effect, cancellation
/// honoured, metadata from <see cref="IChatClient.GetService"/>, and failures thrown rather than answered empty.
/// A provider's test class subclasses it and supplies a client per <see cref="ChatScenario"/>; nothing is overridden.
/// </summary>
public abstract class ChatClientConformanceTests
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The provider name the client's <see cref="ChatClientMetadata"/> gives.</summary>
    protected abstract string ProviderName { get; }

    /// <summary>The model the client's <see cref="ChatClientMetadata"/> names as its default.</summary>
    protected abstract string ModelId { get; }

    /// <summary>A client of the provider under test whose model behaves as <paramref name="scenario"/> says.</summary>
    protected abstract Task<IChatClient> CreateClientAsync(ChatScenario scenario);

    /// <summary>
    /// The options the model's server received with the last request, when the provider sends them over a wire the
    /// test can read; <see langword="null"/> for a model run in this process, whose options the suite checks by
    /// their effect only.
    /// </summary>
    protected abstract SentChatOptions? ReadLastSentOptions();

    /// <summary>No sampling, so the same request gets the same text; enough tokens for a few words.</summary>
    private static ChatOptions Greedy(int maxTokens = 16) => new() { Temperature = 0, MaxOutputTokens = maxTokens };

    [Fact]
    public async Task GetResponseAsync_ReturnsOneAssistantMessageWithText()
    {
        using var client = await CreateClientAsync(ChatScenario.Answers);

        var response = await client.GetResponseAsync(Hello, Greedy());

        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.False(string.IsNullOrEmpty(response.ModelId));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UpdatesConcatenateToTheSameTextAsGetResponseAsync()
    {
        using var client = await CreateClientAsync(ChatScenario.Answers);

        var whole = await client.GetResponseAsync(Hello, Greedy());
        var updates = await StreamAsync(client, Hello, Greedy());

        Assert.True(updates.Count(update => update.Text.Length > 0) > 1, "expected the text in more than one update");
        Assert.All(updates, update => Assert.True(update.Role is null || update.Role == ChatRole.Assistant));
        Assert.Equal(whole.Text, string.Concat(updates.Select(update => update.Text)));
        Assert.Equal(whole.Text, updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task Usage_IsReported_TheSameStreamedOrNot()
    {
        using var client = await CreateClientAsync(ChatScenario.Answers);

        var whole = await client.GetResponseAsync(Hello, Greedy());
        var streamed = Assert.Single((await StreamAsync(client, Hello, Greedy())).SelectMany(update => update.Contents).OfType<UsageContent>()).Details;

        Assert.NotNull(whole.Usage);
        Assert.True(whole.Usage.InputTokenCount > 0, "expected input tokens");
        Assert.True(whole.Usage.OutputTokenCount > 0, "expected output tokens");
        Assert.Equal(whole.Usage.InputTokenCount, streamed.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.OutputTokenCount);
    }

    [Fact]
    public async Task MaxOutputTokens_CutsTheAnswer_WithFinishReasonLength()
    {
        using var client = await CreateClientAsync(ChatScenario.Answers);

        var full = await client.GetResponseAsync(Hello, Greedy());
        var cut = await client.GetResponseAsync(Hello, Greedy(maxTokens: 2));
        var cutStreamed = await StreamAsync(client, Hello, Greedy(maxTokens: 2));

        Assert.Equal(ChatFinishReason.Length, cut.FinishReason);
        Assert.InRange(cut.Usage?.OutputTokenCount ?? -1, 1, 2);
        Assert.True(cut.Text.Length < full.Text.Length, $"'{cut.Text}' is not shorter than '{full.Text}'");
        Assert.StartsWith(cut.Text, full.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Length, cutStreamed.Last(update => update.FinishReason is not null).FinishReason);
        Assert.Equal(cut.Text, cutStreamed.ToChatResponse().Text);
    }

    [Fact]
    public async Task StopSequence_EndsTheAnswerBeforeIt_WithFinishReasonStop()
    {
        using var client = await CreateClientAsync(ChatScenario.Answers);
        var full = (await client.GetResponseAsync(Hello, Greedy())).Text;
        var at = full.Length / 2;
        while (char.IsSurrogate(full[at]) || char.IsSurrogate(full[at + 1]))
        {
            at++;
        }

        var stop = full.Substring(at, 2);
        var options = Greedy();
        options.StopSequences = [stop];

        var stopped = await client.GetResponseAsync(Hello, options);
        var streamed = await StreamAsync(client, Hello, options);

        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.DoesNotContain(stop, stopped.Text, StringComparison.Ordinal);
        Assert.StartsWith(stopped.Text, full, StringComparison.Ordinal);
        Assert.True(stopped.Text.Length <= at, $"'{stopped.Text}' goes past the stop sequence '{stop}' of '{full}'");
        Assert.Equal(stopped.Text, streamed.ToChatResponse().Text);
        Assert.Equal(ChatFinishReason.Stop, streamed.Last(update => update.FinishReason is not null).FinishReason);
    }

    [Fact]
    public async Task Options_ReachTheModel()
    {
        using var client = await CreateClientAsync(ChatScenario.Answers);
        var options = new ChatOptions { MaxOutputTokens = 3, Temperature = 0.25f, StopSequences = ["\u0007never said"] };

        var sampled = await client.GetResponseAsync(Hello, options);
        var sent = ReadLastSentOptions();
        var greedyA = await client.GetResponseAsync(Hello, Greedy());
        var greedyB = await client.GetResponseAsync(Hello, Greedy());

        Assert.InRange(sampled.Usage?.OutputTokenCount ?? -1, 1, 3);
        Assert.Equal(greedyA.Text, greedyB.Text);
        if (sent is not null)
        {
            Assert.Equal(3, sent.MaxOutputTokens);
            Assert.Equal(0.25f, sent.Temperature);
            Assert.Equal(["\u0007never said"], sent.StopSequences);
        }
    }

    [Fact]
    public async Task CancelledBeforehand_ThrowsOperationCanceled_StreamedOrNot()
    {
        using var client = await CreateClientAsync(ChatScenario.Answers);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(Hello, Greedy(), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StreamAsync(client, Hello, Greedy(), cancelled.Token));
    }

    [Fact]
    public async Task CancelledMidStream_ThrowsOperationCanceled_InsteadOfFinishing()
    {
        using var client = await CreateClientAsync(ChatScenario.AnswersSlowly);
        using var cancellation = new CancellationTokenSource();
        var updates = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Hello, Greedy(maxTokens: 400), cancellation.Token).WithCancellation(cancellation.Token))
            {
                if (update.Text.Length > 0 && ++updates == 1)
                {
                    await cancellation.CancelAsync();
                }
            }
        }).WaitAsync(Patience);

        Assert.True(updates < 400, $"{updates} updates arrived after the cancellation");
    }

    [Fact]
    public async Task GetService_ReturnsTheMetadataAndTheClient_AndNothingForAKeyOrAnUnknownType()
    {
        using var client = await CreateClientAsync(ChatScenario.Answers);

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(ProviderName, metadata.ProviderName);
        Assert.Equal(ModelId, metadata.DefaultModelId);
        Assert.NotNull(metadata.ProviderUri);
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.Null(client.GetService<ChatClientMetadata>("a key"));
        Assert.Null(client.GetService(typeof(StringComparer)));
        Assert.Throws<ArgumentNullException>(() => client.GetService(null!));
    }

    [Fact]
    public async Task AFailedRequest_Throws_StreamedOrNot_InsteadOfAnEmptyAnswer()
    {
        using var client = await CreateClientAsync(ChatScenario.Fails);
        ChatMessage[] request = [new(ChatRole.User, string.Join(' ', Enumerable.Repeat("a request this model cannot serve", 40)))];

        var whole = await Record.ExceptionAsync(() => client.GetResponseAsync(request, Greedy()));
        var streamed = await Record.ExceptionAsync(() => StreamAsync(client, request, Greedy()));

        Assert.NotNull(whole);
        Assert.IsNotAssignableFrom<OperationCanceledException>(whole);
        Assert.False(string.IsNullOrWhiteSpace(whole.Message));
        Assert.NotNull(streamed);
        Assert.IsNotAssignableFrom<OperationCanceledException>(streamed);
    }

    private static async Task<List<ChatResponseUpdate>> StreamAsync(
        IChatClient client, ChatMessage[] messages, ChatOptions options, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken).WithCancellation(cancellationToken))
        {
            updates.Add(update);
        }

        return updates;
    }
}
