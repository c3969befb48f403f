using Gateway.Core.Errors;
using Gateway.Onnx.Tests.Generation.Fixture;
using Gateway.Onnx.Tests.Generation.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Microsoft.ML.OnnxRuntimeGenAI;
using static Gateway.Onnx.Tests.Generation.Infrastructure.Conversations;

namespace Gateway.Onnx.Tests.Generation;

/// <summary>The <c>onnx</c> provider's chat client on the real GenAI engine, with the tiny fixture model.</summary>
public sealed class OnnxChatClientTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task GetResponseAsync_Greedy_SameTextEveryTimeAndFromEveryClient()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var first = gateway.CreateClient();
        using var second = gateway.CreateClient();

        var a = await first.GetResponseAsync(Hello, Greedy(24));
        var b = await first.GetResponseAsync(Hello, Greedy(24));
        var c = await second.GetResponseAsync(Hello, Greedy(24));

        Assert.True(a.Text.Length >= 10, $"expected some text, got '{a.Text}'");
        Assert.Equal(a.Text, b.Text);
        Assert.Equal(a.Text, c.Text);
        Assert.Equal("tiny-model", a.ModelId);
    }

    [Fact]
    public async Task GetResponseAsync_Greedy_MatchesGenAIRunDirectly()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();

        var response = await client.GetResponseAsync(Hello, Greedy(16));

        Assert.Equal(ReferenceGreedy(fixture.Standard, "<|user|>\nhello world<|end|>\n<|assistant|>\n", 16), response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_DifferentConversations_DifferentText()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();

        var hello = await client.GetResponseAsync(Hello, Greedy(24));
        var other = await client.GetResponseAsync(WithSystem, Greedy(24));

        Assert.NotEqual(hello.Text, other.Text);
    }

    [Fact]
    public async Task GetResponseAsync_SameSeed_SameSample_OtherSeed_OtherSample()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();

        var greedy = await client.GetResponseAsync(Hello, Greedy(32));
        var a = await client.GetResponseAsync(Hello, Sampled(seed: 7, maxTokens: 32));
        var b = await client.GetResponseAsync(Hello, Sampled(seed: 7, maxTokens: 32));
        var c = await client.GetResponseAsync(Hello, Sampled(seed: 8, maxTokens: 32));

        Assert.Equal(a.Text, b.Text);
        Assert.NotEqual(a.Text, c.Text);
        Assert.NotEqual(greedy.Text, a.Text);
    }

    [Fact]
    public async Task GetResponseAsync_TopKOneOrTinyTopP_SamplesTheGreedyAnswer()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();

        var greedy = await client.GetResponseAsync(Hello, Greedy(24));
        var topK = await client.GetResponseAsync(Hello, new ChatOptions { MaxOutputTokens = 24, Temperature = 1.5f, TopK = 1, Seed = 3 });
        var topP = await client.GetResponseAsync(Hello, new ChatOptions { MaxOutputTokens = 24, Temperature = 1.5f, TopP = 1e-6f, Seed = 3 });
        var free = await client.GetResponseAsync(Hello, new ChatOptions { MaxOutputTokens = 24, Temperature = 1.5f, Seed = 3 });

        Assert.Equal(greedy.Text, topK.Text);
        Assert.Equal(greedy.Text, topP.Text);
        Assert.NotEqual(greedy.Text, free.Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SeveralDeltas_ConcatenateToTheResponse()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Hello, Greedy(20)))
        {
            updates.Add(update);
        }

        var deltas = updates.Where(update => update.Text.Length > 0).ToList();
        Assert.True(deltas.Count >= 5, $"expected several deltas, got {deltas.Count}");
        Assert.All(updates, update => Assert.Equal(ChatRole.Assistant, update.Role));
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Length, last.FinishReason);
        Assert.Single(last.Contents.OfType<UsageContent>());
        Assert.All(updates.SkipLast(1), update => Assert.Null(update.FinishReason));

        var whole = await client.GetResponseAsync(Hello, Greedy(20));
        Assert.Equal(whole.Text, string.Concat(deltas.Select(delta => delta.Text)));
    }

    [Fact]
    public async Task GetResponseAsync_MaxOutputTokens_FinishReasonLengthAndExactUsage()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();

        var response = await client.GetResponseAsync(Hello, Greedy(13));

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(13, response.Usage?.OutputTokenCount);
        Assert.Equal(CountTokens(fixture.Standard, "<|user|>\nhello world<|end|>\n<|assistant|>\n"), response.Usage?.InputTokenCount);
        Assert.Equal(response.Usage?.InputTokenCount + 13, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_NoLimit_RunsToTheEndOfTheContext()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.ShortContext);
        using var client = gateway.CreateClient();

        var response = await client.GetResponseAsync(Hello);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(48, response.Usage?.InputTokenCount + response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_EndOfSequenceToken_FinishReasonStop()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.EagerToStop);
        using var client = gateway.CreateClient();

        var response = await client.GetResponseAsync(Hello, Greedy(50));

        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(string.Empty, response.Text);
        Assert.Equal(1, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_StopSequence_CutsBeforeItAndFinishReasonStop()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();
        var full = (await client.GetResponseAsync(Hello, Greedy(40))).Text;
        var stop = full.Substring(12, 3);
        var expected = full[..full.IndexOf(stop, StringComparison.Ordinal)];

        var options = new ChatOptions { MaxOutputTokens = 40, StopSequences = ["never appears", stop] };
        var response = await client.GetResponseAsync(Hello, options);
        var streamed = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync(Hello, options))
        {
            streamed.Add(update.Text);
        }

        Assert.Equal(expected, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage?.OutputTokenCount < 40);
        Assert.Equal(expected, string.Concat(streamed));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Cancelled_StopsGeneratingWithinATokenOrTwo()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Hello, Greedy(400), cancellation.Token))
            {
                if (++received == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        var model = gateway.Models.TryGetLoaded(fixture.Standard)!;
        Assert.False(model.IsBusy);
        // Three read, at most the channel's few pieces ahead, and the token in progress; nowhere near 400.
        Assert.InRange(model.GeneratedTokens, 3, 3 + 4 + 2);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ReaderStopsEarly_ModelIsFreedForTheNextRequest()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();

        await foreach (var update in client.GetStreamingResponseAsync(Hello, Greedy(400)))
        {
            break;
        }

        var model = gateway.Models.TryGetLoaded(fixture.Standard)!;
        Assert.False(model.IsBusy);
        var next = await client.GetResponseAsync(Hello, Greedy(5)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(5, next.Usage?.OutputTokenCount);
        Assert.InRange(model.GeneratedTokens, 6, 1 + 4 + 2 + 5);
    }

    [Fact]
    public async Task GetResponseAsync_ConcurrentRequests_EachGetsItsOwnAnswer()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();
        var expectedHello = (await client.GetResponseAsync(Hello, Greedy(30))).Text;
        var expectedSampled = (await client.GetResponseAsync(Hello, Sampled(11, 30))).Text;
        var expectedOther = (await client.GetResponseAsync(WithSystem, Greedy(30))).Text;

        var requests = Enumerable.Range(0, 12).Select(i => (i % 3) switch
        {
            0 => client.GetResponseAsync(Hello, Greedy(30)),
            1 => client.GetResponseAsync(Hello, Sampled(11, 30)),
            _ => client.GetResponseAsync(WithSystem, Greedy(30)),
        }).ToArray();
        var responses = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(60));

        for (var i = 0; i < responses.Length; i++)
        {
            Assert.Equal((i % 3) switch { 0 => expectedHello, 1 => expectedSampled, _ => expectedOther }, responses[i].Text);
            Assert.Equal(30, responses[i].Usage?.OutputTokenCount);
        }
    }

    [Fact]
    public async Task GetResponseAsync_PromptLongerThanTheContext_InvalidRequest()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.ShortContext);
        using var client = gateway.CreateClient();
        var longMessage = string.Join(' ', Enumerable.Repeat("the world is round", 20));

        var error = await Assert.ThrowsAsync<GatewayException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, longMessage)]));

        Assert.Equal(GatewayErrorCodes.InvalidRequest, error.ErrorCode);
        Assert.Contains("48 tokens", error.Message, StringComparison.Ordinal);
        Assert.False(gateway.Models.TryGetLoaded(fixture.ShortContext)!.IsBusy);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task GetResponseAsync_TopKNotPositive_InvalidRequest(int topK)
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();

        var error = await Assert.ThrowsAsync<GatewayException>(() => client.GetResponseAsync(Hello, new ChatOptions { Temperature = 1f, TopK = topK }));

        Assert.Equal(GatewayErrorCodes.InvalidRequest, error.ErrorCode);
        Assert.Equal("options.topK", error.Extensions["field"]);
    }

    [Fact]
    public async Task GetResponseAsync_CancelledWhileQueued_ThrowsAndLeavesTheModelWorking()
    {
        await using var gateway = OnnxGatewayServices.Create(fixture.Standard);
        using var client = gateway.CreateClient();
        await client.GetResponseAsync(Hello, Greedy(1));
        var model = gateway.Models.TryGetLoaded(fixture.Standard)!;

        // Hold the model with a stream that is not read, so the next request has to queue.
        await using var holder = client.GetStreamingResponseAsync(Hello, Greedy(400)).GetAsyncEnumerator();
        Assert.True(await holder.MoveNextAsync());
        var time = new FakeTimeProvider();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200), time);
        var queued = client.GetResponseAsync(Hello, Greedy(5), cancellation.Token);
        Assert.False(queued.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.True(model.IsBusy);

        await holder.DisposeAsync();
        Assert.False(model.IsBusy);
        Assert.Equal(5, (await client.GetResponseAsync(Hello, Greedy(5))).Usage?.OutputTokenCount);
    }

    private static int CountTokens(string folder, string prompt)
    {
        using var model = new Model(folder);
        using var tokenizer = new Tokenizer(model);
        using var sequences = tokenizer.Encode(prompt);
        return sequences[0].Length;
    }

    /// <summary>Greedy decoding with the GenAI API alone, as its samples do it: the reference our client must match.</summary>
    private static string ReferenceGreedy(string folder, string prompt, int tokens)
    {
        using var model = new Model(folder);
        using var tokenizer = new Tokenizer(model);
        using var sequences = tokenizer.Encode(prompt);
        using var parameters = new GeneratorParams(model);
        parameters.SetSearchOption("max_length", sequences[0].Length + tokens);
        using var generator = new Generator(model, parameters);
        generator.AppendTokenSequences(sequences);
        using var stream = tokenizer.CreateStream();
        var text = string.Empty;
        while (!generator.IsDone())
        {
            generator.GenerateNextToken();
            text += stream.Decode(generator.GetNextTokens()[0]);
        }

        return text;
    }
}
