using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Internal;
using Gateway.Core.Resilience;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.OpenAI;

/// <summary>
/// A lean <see cref="IChatClient"/> for any server speaking OpenAI's <c>/v1/chat/completions</c>:
/// it writes the request with <see cref="Utf8JsonWriter"/> and reads the SSE stream with
/// <see cref="SseParser"/> and a forward-only JSON reader (see docs/adr/0002).
/// </summary>
internal sealed class OpenAICompatibleChatClient : IChatClient
{
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly ModelRoute _route;
    private readonly Uri _completionsUri;
    private readonly ChatClientMetadata _metadata;

    public OpenAICompatibleChatClient(HttpClient http, ModelRoute route)
    {
        _http = http;
        _route = route;
        _completionsUri = CompletionsUri(new Uri(route.Endpoint));
        _metadata = new ChatClientMetadata(ChatProviderNames.OpenAI, _completionsUri, route.Model);
    }

    /// <summary>The chat completions address: the base URL (with <c>/v1</c> added when it has no path) plus <c>/chat/completions</c>.</summary>
    internal static Uri CompletionsUri(Uri baseUri)
    {
        var path = baseUri.AbsolutePath.TrimEnd('/');
        if (path.Length == 0)
        {
            path = "/v1";
        }

        return new UriBuilder(baseUri) { Path = path + "/chat/completions" }.Uri;
    }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(messages, options, stream: false);
        var body = await UpstreamCall.ReadBodyAsync(_http, request, _route, cancellationToken).ConfigureAwait(false);

        OpenAIChunk completion;
        OpenAIToolCallAccumulator? toolCalls = null;
        try
        {
            completion = OpenAIChunk.Parse(body, readIds: true, ChatLogprobs.Requested(options), ref toolCalls);
        }
        catch (JsonException ex)
        {
            throw UpstreamCall.ProtocolError(_route, "the chat completion is not valid JSON.", ex);
        }

        if (completion.ErrorMessage is not null)
        {
            throw UpstreamCall.StreamError(_route, completion.ErrorMessage);
        }

        var response = new ChatResponse(ToMessage(completion.Content, toolCalls))
        {
            ResponseId = completion.Id,
            ModelId = completion.Model ?? _route.Model,
            CreatedAt = ToTimestamp(completion.Created),
            FinishReason = UpstreamChatParameters.ToFinishReason(completion.FinishReason),
            Usage = UpstreamChatParameters.ToUsage(completion.PromptTokens, completion.CompletionTokens),
        };
        if (completion.Logprobs is { } logprobs)
        {
            ChatLogprobs.Set(response.AdditionalProperties ??= [], logprobs);
        }

        if (completion.OtherChoices is { } others)
        {
            ChatChoices.SetOthers(response, others.ConvertAll(other => OtherChoice(other, response)));
        }

        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(messages, options, stream: true);
        using var response = await UpstreamCall.SendAsync(_http, request, _route, cancellationToken).ConfigureAwait(false);

        var body = await UpstreamCall.OpenBodyAsync(response, _route, cancellationToken).ConfigureAwait(false);

        await using var bodyScope = body.ConfigureAwait(false);
        var reader = new ChunkReader(ChatLogprobs.Requested(options));
        var events = SseParser.Create(body, reader.Parse).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

        // Finished means [DONE] or a finish_reason: some servers close right after the finish_reason chunk.
        var finishReasonSeen = false;
        try
        {
            while (true)
            {
                OpenAIChunk chunk;
                bool more;
                try
                {
                    more = await events.MoveNextAsync().ConfigureAwait(false);
                    chunk = more ? events.Current.Data : default;
                }
                catch (JsonException ex)
                {
                    throw UpstreamCall.ProtocolError(_route, "a stream event is not a valid chat completion chunk.", ex);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    throw UpstreamCall.StreamBroken(_route, ex);
                }

                if (!more && !finishReasonSeen)
                {
                    throw UpstreamCall.StreamEndedEarly(_route, "a finish_reason or [DONE]");
                }

                if (!more || reader.Done)
                {
                    // Calls the answer never closed with a finish_reason are still whole calls.
                    if (reader.ToolCalls is { HasCalls: true } pending)
                    {
                        yield return ToolCallsUpdate(pending, ChatFinishReason.ToolCalls, reader);
                    }

                    yield break;
                }

                if (chunk.ErrorMessage is not null)
                {
                    throw UpstreamCall.StreamError(_route, chunk.ErrorMessage);
                }

                finishReasonSeen |= chunk.FinishReason is not null;
                if (ToUpdate(chunk, reader) is { } update)
                {
                    yield return update;
                }

                if (chunk.OtherChoices is { } others)
                {
                    foreach (var other in others)
                    {
                        finishReasonSeen |= other.FinishReason is not null;
                        if (ToUpdate(other, reader) is { } otherUpdate)
                        {
                            yield return otherUpdate;
                        }
                    }
                }
            }
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        UpstreamChatClientServices.Get(this, serviceType, serviceKey, _metadata, _route, OpenAIRequestParameters.Support);

    public void Dispose()
    {
        // The HttpClient belongs to IHttpClientFactory.
    }

    private ChatResponseUpdate? ToUpdate(in OpenAIChunk chunk, ChunkReader reader)
    {
        var usage = UpstreamChatParameters.ToUsage(chunk.PromptTokens, chunk.CompletionTokens);
        var hasText = !string.IsNullOrEmpty(chunk.Content);
        // Tool calls are choice 0's (see OpenAIChunk); another choice's update carries its index.
        var ownsToolCalls = chunk.ChoiceIndex == 0;
        var hasFragments = ownsToolCalls && reader.ToolCalls is { HasFragments: true };
        if (!hasText && usage is null && chunk.FinishReason is null && chunk.Logprobs is null && !hasFragments)
        {
            return null;
        }

        var update = NewUpdate(UpstreamChatParameters.ToFinishReason(chunk.FinishReason), reader);
        if (!ownsToolCalls)
        {
            ChatChoices.Mark(update, chunk.ChoiceIndex);
        }

        if (hasText)
        {
            update.Contents.Add(new TextContent(chunk.Content));
        }

        if (chunk.Logprobs is { } logprobs)
        {
            ChatLogprobs.Set(update.AdditionalProperties ??= [], logprobs);
        }

        if (hasFragments)
        {
            reader.ToolCalls!.TakeFragments(update.Contents);
        }

        if (ownsToolCalls && update.FinishReason is not null && reader.ToolCalls is { HasCalls: true } toolCalls)
        {
            // The answer's end says none of its calls grows any more.
            AddToolCalls(update, toolCalls);
        }

        if (usage is not null)
        {
            update.Contents.Add(new UsageContent(usage));
        }

        return update;
    }

    private ChatResponseUpdate NewUpdate(ChatFinishReason? finishReason, ChunkReader reader) => new()
    {
        Role = ChatRole.Assistant,
        ResponseId = reader.ResponseId,
        ModelId = reader.ModelId ?? _route.Model,
        FinishReason = finishReason,
    };

    private ChatResponseUpdate ToolCallsUpdate(OpenAIToolCallAccumulator toolCalls, ChatFinishReason finishReason, ChunkReader reader)
    {
        var update = NewUpdate(finishReason, reader);
        AddToolCalls(update, toolCalls);
        return update;
    }

    private static void AddToolCalls(ChatResponseUpdate update, OpenAIToolCallAccumulator toolCalls)
    {
        foreach (var call in toolCalls.TakeCalls())
        {
            update.Contents.Add(call);
        }
    }

    /// <summary>A choice of a completion after choice 0: its text, finish reason and log probabilities.</summary>
    private static ChatResponse OtherChoice(OpenAIChunk choice, ChatResponse first)
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, choice.Content ?? string.Empty))
        {
            ResponseId = first.ResponseId,
            ModelId = first.ModelId,
            CreatedAt = first.CreatedAt,
            FinishReason = UpstreamChatParameters.ToFinishReason(choice.FinishReason),
        };
        if (choice.Logprobs is { } logprobs)
        {
            ChatLogprobs.Set(response.AdditionalProperties ??= [], logprobs);
        }

        return response;
    }

    /// <summary>A completion's message: its text, then its tool calls; a message that only calls tools has no text content at all.</summary>
    private static ChatMessage ToMessage(string? content, OpenAIToolCallAccumulator? toolCalls)
    {
        if (toolCalls is not { HasCalls: true })
        {
            return new ChatMessage(ChatRole.Assistant, content ?? string.Empty);
        }

        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(content))
        {
            contents.Add(new TextContent(content));
        }

        contents.AddRange(toolCalls.TakeCalls());
        return new ChatMessage(ChatRole.Assistant, contents);
    }

    private HttpRequestMessage CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _completionsUri)
        {
            Content = JsonRequestContent.Create((Model: _route.Model, messages, options, stream), static (writer, state) =>
            {
                writer.WriteStartObject();
                writer.WriteString("model", state.Model);
                OpenAIMessageWriter.Write(writer, state.messages);
                var options = state.options;
                OpenAIToolWriter.Write(writer, options);
                if (options?.Temperature is float temperature)
                {
                    writer.WriteSamplingNumber("temperature", temperature);
                }

                if (options?.TopP is float topP)
                {
                    writer.WriteSamplingNumber("top_p", topP);
                }

                if (options?.MaxOutputTokens is int maxTokens)
                {
                    writer.WriteNumber("max_tokens", maxTokens);
                }

                UpstreamChatParameters.WriteSeedAndTopK(writer, options);

                UpstreamChatParameters.WriteStop(writer, options);
                OpenAIRequestParameters.Write(writer, options);
                writer.WriteBoolean("stream", state.stream);
                if (state.stream)
                {
                    writer.WriteStartObject("stream_options");
                    writer.WriteBoolean("include_usage", true);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }),
        };

        request.Headers.Accept.Add(stream ? EventStream : Json);
        if (!string.IsNullOrEmpty(_route.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _route.ApiKey);
        }

        request.Options.Set(UpstreamRequestOptions.Route, _route);
        return request;
    }

    private static DateTimeOffset? ToTimestamp(long? unixSeconds) =>
        unixSeconds is long seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>
    /// Per-stream parse state: ids are read from the first chunk only, so later chunks allocate no strings for them,
    /// and log probabilities only when the request asked for them.
    /// </summary>
    private sealed class ChunkReader(bool readLogprobs)
    {
        private OpenAIToolCallAccumulator? _toolCalls;

        public string? ResponseId { get; private set; }

        public string? ModelId { get; private set; }

        public bool Done { get; private set; }

        /// <summary>The stream's tool-call fragments so far; <see langword="null"/> until the first arrives.</summary>
        public OpenAIToolCallAccumulator? ToolCalls => _toolCalls;

        public OpenAIChunk Parse(string eventType, ReadOnlySpan<byte> data)
        {
            if (data.SequenceEqual("[DONE]"u8))
            {
                Done = true;
                return default;
            }

            var first = ResponseId is null && ModelId is null;
            var chunk = OpenAIChunk.Parse(data, readIds: first, readLogprobs, ref _toolCalls);
            if (first)
            {
                ResponseId = chunk.Id;
                ModelId = chunk.Model;
            }

            return chunk;
        }
    }
}
