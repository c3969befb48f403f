using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// The OpenAI-compatible surface, so any OpenAI client works unchanged: <c>POST /v1/chat/completions</c>
/// (streamed in OpenAI's exact chunk format ending with <c>data: [DONE]</c>) and <c>GET /v1/models</c>.
/// </summary>
internal static class OpenAIEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/chat/completions", ChatCompletionsAsync).WithName("OpenAIChatCompletions");
        api.MapGet("/v1/models", ListModels).WithName("OpenAIModels");
    }

    private static async Task<IResult> ChatCompletionsAsync(
        HttpContext context, [FromServices] ChatService chat, [FromServices] TimeProvider time)
    {
        var request = await JsonRequestReader.ReadAsync(context, OpenAIJsonContext.Default.OpenAIChatRequest).ConfigureAwait(false);
        var route = chat.Router.ResolveModelName(request.Model);
        var messages = OpenAIRequestMapping.ToMessages(request.Messages);
        var options = OpenAIRequestMapping.ToOptions(request);
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var model = string.IsNullOrWhiteSpace(request.Model) ? route.Key.Value : request.Model;

        if (request.Stream == true)
        {
            await StreamAsync(context, chat, route, messages, options, model, created, request.StreamOptions?.IncludeUsage == true)
                .ConfigureAwait(false);
            return Results.Empty;
        }

        var response = await chat.CompleteAsync(route, messages, options, context.RequestAborted).ConfigureAwait(false);
        var input = response.Usage?.InputTokenCount ?? 0;
        var output = response.Usage?.OutputTokenCount ?? 0;
        return TypedResults.Json(
            new OpenAIChatCompletion(
                Id: CompletionId(response.ResponseId),
                Object: "chat.completion",
                Created: created,
                Model: model,
                Choices: [new OpenAIChoice(0, new OpenAIResponseMessage("assistant", response.Text), response.FinishReason?.Value ?? "stop")],
                Usage: new OpenAIUsage(input, output, input + output)),
            OpenAIJsonContext.Default.OpenAIChatCompletion);
    }

    private static async Task StreamAsync(
        HttpContext context,
        ChatService chat,
        ModelRoute route,
        List<ChatMessage> messages,
        ChatOptions options,
        string model,
        long created,
        bool includeUsage)
    {
        var aborted = context.RequestAborted;
        var updates = chat.StreamAsync(route, messages, options, aborted).GetAsyncEnumerator(aborted);
        await using var updatesScope = updates.ConfigureAwait(false);

        // As on /api/chat/stream: an upstream that fails before its first update gets a plain status.
        var more = await updates.MoveNextAsync().ConfigureAwait(false);

        using var sse = SseWriter.Start(context);
        var chunk = new ChunkHeader(CompletionId(more ? updates.Current.ResponseId : null), created, model);
        try
        {
            var summary = await SseRelay.PumpAsync(updates, more, sse, chunk.WriteDelta, aborted).ConfigureAwait(false);

            var final = chunk.Begin(sse);
            final.WriteStartObject("delta"u8);
            final.WriteEndObject();
            final.WriteString("finish_reason"u8, summary.FinishReason?.Value ?? "stop");
            ChunkHeader.End(final);
            sse.EndEvent();
            if (includeUsage)
            {
                WriteUsageChunk(sse, chunk, summary.Usage);
            }

            await sse.WriteRawAsync("data: [DONE]\n\n"u8, aborted).ConfigureAwait(false);
        }
        catch (GatewayException ex) when (!aborted.IsCancellationRequested)
        {
            await SseErrors.WriteAsync(context, sse, ex, namedEvent: false).ConfigureAwait(false);
        }
    }

    private static void WriteUsageChunk(SseWriter sse, ChunkHeader chunk, UsageDetails? usage)
    {
        var json = chunk.BeginWithoutChoice(sse);
        json.WriteStartArray("choices"u8);
        json.WriteEndArray();
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        json.WriteStartObject("usage"u8);
        json.WriteNumber("prompt_tokens"u8, input);
        json.WriteNumber("completion_tokens"u8, output);
        json.WriteNumber("total_tokens"u8, input + output);
        json.WriteEndObject();
        json.WriteEndObject();
        sse.EndEvent();
    }

    private static IResult ListModels([FromServices] RouteTable routes) =>
        TypedResults.Json(
            new OpenAIModelList(
                "list",
                routes.Routes.Where(routes.IsAllowed).Select(route => new OpenAIModel(route.Key.Value, "model", 0, route.Provider)).ToArray()),
            OpenAIJsonContext.Default.OpenAIModelList);

    private static string CompletionId(string? upstreamId) =>
        upstreamId is { Length: > 0 } ? upstreamId : "chatcmpl-" + Guid.CreateVersion7().ToString("N");

    /// <summary>The members every chunk of one stream repeats: id, object, created and model.</summary>
    private sealed class ChunkHeader(string id, long created, string model)
    {
        /// <summary>OpenAI sends the role in the first delta only.</summary>
        private bool _firstDelta = true;

        /// <summary>Writes one text delta as a complete chunk event, without flushing.</summary>
        public void WriteDelta(SseWriter sse, string text)
        {
            var json = Begin(sse);
            json.WriteStartObject("delta"u8);
            if (_firstDelta)
            {
                json.WriteString("role"u8, "assistant"u8);
                _firstDelta = false;
            }

            json.WriteString("content"u8, text);
            json.WriteEndObject();
            json.WriteNull("finish_reason"u8);
            End(json);
            sse.EndEvent();
        }

        public Utf8JsonWriter Begin(SseWriter sse)
        {
            var json = BeginWithoutChoice(sse);
            json.WriteStartArray("choices"u8);
            json.WriteStartObject();
            json.WriteNumber("index"u8, 0);
            return json;
        }

        public Utf8JsonWriter BeginWithoutChoice(SseWriter sse)
        {
            var json = sse.BeginEvent();
            json.WriteStartObject();
            json.WriteString("id"u8, id);
            json.WriteString("object"u8, "chat.completion.chunk"u8);
            json.WriteNumber("created"u8, created);
            json.WriteString("model"u8, model);
            return json;
        }

        /// <summary>Closes the choice, the choices array and the chunk opened by <see cref="Begin"/>.</summary>
        public static void End(Utf8JsonWriter json)
        {
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
    }
}
