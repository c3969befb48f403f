using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Internal;
using Gateway.Core.Resilience;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.Ollama;

/// <summary>
/// A lean <see cref="IChatClient"/> for Ollama's native <c>/api/chat</c>, whose stream is
/// newline-delimited JSON, one object per line, the last one with <c>"done": true</c> and the token counts.
/// </summary>
internal sealed class OllamaChatClient : IChatClient
{
    private static readonly MediaTypeWithQualityHeaderValue NdJson = new("application/x-ndjson");

    /// <summary>A single NDJSON line longer than this is treated as a protocol error rather than buffered forever.</summary>
    private const int MaxLineBytes = 4 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly ModelRoute _route;
    private readonly Uri _chatUri;
    private readonly ChatClientMetadata _metadata;

    public OllamaChatClient(HttpClient http, ModelRoute route)
    {
        _http = http;
        _route = route;
        _chatUri = new Uri(new Uri(route.Endpoint.TrimEnd('/') + "/"), "api/chat");
        _metadata = new ChatClientMetadata(ChatProviderNames.Ollama, _chatUri, route.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(messages, options, stream: false);
        var body = await UpstreamCall.ReadBodyAsync(_http, request, _route, cancellationToken).ConfigureAwait(false);

        OllamaChunk answer;
        try
        {
            answer = OllamaChunk.Parse(body, readModel: true);
        }
        catch (JsonException ex)
        {
            throw UpstreamCall.ProtocolError(_route, "the chat answer is not valid JSON.", ex);
        }

        if (answer.ErrorMessage is not null)
        {
            throw UpstreamCall.StreamError(_route, answer.ErrorMessage);
        }

        var message = answer.ToolCalls is null
            ? new ChatMessage(ChatRole.Assistant, answer.Content ?? string.Empty)
            : new ChatMessage(ChatRole.Assistant, []);
        if (answer.ToolCalls is not null)
        {
            if (!string.IsNullOrEmpty(answer.Content))
            {
                message.Contents.Add(new TextContent(answer.Content));
            }

            var calls = 0;
            AddToolCalls(message.Contents, answer.ToolCalls, ref calls);
        }

        return new ChatResponse(message)
        {
            ModelId = answer.Model ?? _route.Model,
            FinishReason = answer.ToolCalls is null ? UpstreamChatParameters.ToFinishReason(answer.DoneReason) : ChatFinishReason.ToolCalls,
            Usage = UpstreamChatParameters.ToUsage(answer.PromptEvalCount, answer.EvalCount),
        };
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
        var pipe = PipeReader.Create(body);
        string? modelId = null;
        var toolCalls = 0;
        var updates = new List<ChatResponseUpdate>();
        try
        {
            while (true)
            {
                ReadResult read;
                try
                {
                    read = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    throw UpstreamCall.StreamBroken(_route, ex);
                }

                var buffer = read.Buffer;
                updates.Clear();
                var finished = false;

                // A failure reported in a line is raised only after the lines before it are yielded.
                GatewayException? failure = null;
                try
                {
                    while (!finished && TryReadLine(ref buffer, out var line))
                    {
                        finished = ReadLine(line, ref modelId, ref toolCalls, updates);
                    }

                    if (!finished && read.IsCompleted && !buffer.IsEmpty)
                    {
                        // The last line may lack its newline.
                        finished = ReadLine(buffer, ref modelId, ref toolCalls, updates);
                        buffer = buffer.Slice(buffer.End);
                    }

                    if (buffer.Length > MaxLineBytes)
                    {
                        throw UpstreamCall.ProtocolError(_route, $"a stream line is longer than {MaxLineBytes} bytes.");
                    }
                }
                catch (GatewayException ex)
                {
                    failure = ex;
                }

                pipe.AdvanceTo(buffer.Start, buffer.End);
                foreach (var update in updates)
                {
                    yield return update;
                }

                if (failure is not null)
                {
                    throw failure;
                }

                if (finished)
                {
                    yield break;
                }

                if (read.IsCompleted)
                {
                    throw UpstreamCall.StreamEndedEarly(_route, "a line with \"done\": true");
                }
            }
        }
        finally
        {
            await pipe.CompleteAsync().ConfigureAwait(false);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        UpstreamChatClientServices.Get(this, serviceType, serviceKey, _metadata, _route, OllamaRequestParameters.Support);

    public void Dispose()
    {
        // The HttpClient belongs to IHttpClientFactory.
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    /// <param name="line">One NDJSON line.</param>
    /// <param name="modelId">The model that answers, from the first line.</param>
    /// <param name="toolCalls">How many tool calls the stream has made so far: the ids of calls Ollama sent without one, and the finish reason.</param>
    /// <param name="updates">Where the line's update goes.</param>
    /// <returns><see langword="true"/> when the line was the final (<c>done</c>) one.</returns>
    private bool ReadLine(ReadOnlySequence<byte> line, ref string? modelId, ref int toolCalls, List<ChatResponseUpdate> updates)
    {
        if (IsBlank(line))
        {
            return false;
        }

        OllamaChunk chunk;
        try
        {
            chunk = line.IsSingleSegment
                ? OllamaChunk.Parse(line.FirstSpan, readModel: modelId is null)
                : OllamaChunk.Parse(line.ToArray(), readModel: modelId is null);
        }
        catch (JsonException ex)
        {
            throw UpstreamCall.ProtocolError(_route, "a stream line is not valid JSON.", ex);
        }

        if (chunk.ErrorMessage is not null)
        {
            throw UpstreamCall.StreamError(_route, chunk.ErrorMessage);
        }

        modelId ??= chunk.Model ?? _route.Model;
        var usage = chunk.Done ? UpstreamChatParameters.ToUsage(chunk.PromptEvalCount, chunk.EvalCount) : null;
        var hasText = !string.IsNullOrEmpty(chunk.Content);
        if (hasText || chunk.Done || chunk.ToolCalls is not null)
        {
            var update = new ChatResponseUpdate { Role = ChatRole.Assistant, ModelId = modelId };
            if (hasText)
            {
                update.Contents.Add(new TextContent(chunk.Content));
            }

            if (chunk.ToolCalls is not null)
            {
                AddToolCalls(update.Contents, chunk.ToolCalls, ref toolCalls);
            }

            if (chunk.Done)
            {
                // Ollama says "stop" after calling tools; a client needs to know it should run them.
                update.FinishReason = toolCalls > 0 ? ChatFinishReason.ToolCalls : UpstreamChatParameters.ToFinishReason(chunk.DoneReason ?? "stop");
            }

            if (usage is not null)
            {
                update.Contents.Add(new UsageContent(usage));
            }

            updates.Add(update);
        }

        return chunk.Done;
    }

    /// <summary>Adds the calls as <see cref="FunctionCallContent"/>; one Ollama sent without an id gets <c>call_&lt;n&gt;</c>, its place among the answer's calls.</summary>
    private static void AddToolCalls(IList<AIContent> contents, List<OllamaToolCall> calls, ref int made)
    {
        foreach (var call in calls)
        {
            var id = call.Id ?? string.Create(CultureInfo.InvariantCulture, $"call_{made}");
            contents.Add(ToolCallJson.CreateCall(id, call.Name, call.Arguments));
            made++;
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            if (segment.Span.TrimStart(" \t\r"u8).Length > 0)
            {
                return false;
            }
        }

        return true;
    }

    private HttpRequestMessage CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _chatUri)
        {
            Content = JsonRequestContent.Create((Model: _route.Model, messages, options, stream), static (writer, state) =>
            {
                writer.WriteStartObject();
                writer.WriteString("model", state.Model);
                OllamaMessageWriter.Write(writer, state.messages);
                OllamaToolWriter.Write(writer, state.options);
                writer.WriteBoolean("stream", state.stream);
                var options = state.options;
                OllamaRequestParameters.WriteFormat(writer, options);
                writer.WriteStartObject("options");
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
                    writer.WriteNumber("num_predict", maxTokens);
                }

                UpstreamChatParameters.WriteSeedAndTopK(writer, options);
                UpstreamChatParameters.WritePenalties(writer, options);

                UpstreamChatParameters.WriteStop(writer, options);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }),
        };

        request.Headers.Accept.Add(NdJson);
        if (!string.IsNullOrEmpty(_route.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _route.ApiKey);
        }

        request.Options.Set(UpstreamRequestOptions.Route, _route);
        return request;
    }
}
