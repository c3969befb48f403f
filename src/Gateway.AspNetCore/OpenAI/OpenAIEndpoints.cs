using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Gateway.Core.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// The OpenAI-compatible surface, so any OpenAI client works unchanged: <c>POST /v1/chat/completions</c>
/// (streamed in OpenAI's exact chunk format ending with <c>data: [DONE]</c>).
/// </summary>
internal static class OpenAIEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        // `"stream": true` answers OpenAI's chunk stream instead of one completion.
        api.MapPost("/v1/chat/completions", ChatCompletionsAsync).WithName("OpenAIChatCompletions").WithTags("OpenAI")
            .Produces<OpenAIChatCompletion>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesChatErrors()
            .WithMetadata(OpenAIFieldNames.ChatCompletions);
    }

    private static async Task<IResult> ChatCompletionsAsync(
        [FromBody] OpenAIChatRequest request, HttpContext context, [FromServices] ChatService chat, [FromServices] TimeProvider time)
    {
        var target = await chat.Targets.ResolveModelNameAsync(request.Model, context.RequestAborted).ConfigureAwait(false);
        var route = target.Route;
        var messages = target.ApplyTo(OpenAIRequestMapping.ToMessages(request.Messages));
        var supported = chat.ApplyParameterSupport(route, target.ApplyTo(OpenAIRequestMapping.ToOptions(request)));
        var options = supported.Options;
        DroppedParametersHeader.Set(context.Response, supported.DroppedParameters);
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var model = string.IsNullOrWhiteSpace(request.Model) ? route.Key.Value : request.Model;

        if (request.Stream == true)
        {
            var stream = RouteHeader.SetForStream(context, route, chat.StreamAsync(route, messages, options, context.RequestAborted));
            var dialect = new OpenAISseDialect(created, model, request.StreamOptions?.IncludeUsage == true);
            await SseRelay.RunAsync(context, stream, dialect).ConfigureAwait(false);
            return Results.Empty;
        }

        var response = await chat.CompleteAsync(route, messages, options, context.RequestAborted).ConfigureAwait(false);
        RouteHeader.Set(context, AnsweringRoute.Get(response) ?? route.Key);
        var input = response.Usage?.InputTokenCount ?? 0;
        var output = response.Usage?.OutputTokenCount ?? 0;
        var toolCalls = OpenAIToolMapping.ToWireCalls(response);
        var text = response.Text;
        return TypedResults.Json(
            new OpenAIChatCompletion(
                Id: OpenAICompletionIds.From(response.ResponseId),
                Object: "chat.completion",
                Created: created,
                Model: model,
                Choices: [
                    new OpenAIChoice(0, new OpenAIResponseMessage("assistant", toolCalls is not null && text.Length == 0 ? null : text, toolCalls), response.FinishReason?.Value ?? "stop", ChatLogprobs.Get(response)),
                    .. ChatChoices.Others(response).Select((other, i) =>
                        new OpenAIChoice(i + 1, new OpenAIResponseMessage("assistant", other.Text), other.FinishReason?.Value ?? "stop", ChatLogprobs.Get(other))),
                ],
                Usage: new OpenAIUsage(input, output, input + output)),
            OpenAIJsonContext.Default.OpenAIChatCompletion);
    }
}
