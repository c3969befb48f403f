using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI.Responses;

/// <summary>
/// <c>POST /v1/responses</c>, OpenAI's Responses API over the same routing and chat pipeline as chat completions.
/// With a conversation store registered (and unless the request says <c>"store": false</c>) each response is a
/// turn of a stored conversation, and <c>previous_response_id</c> continues that conversation from it;
/// <c>GET /v1/responses/{id}</c> reads a stored response back from its conversation and <c>DELETE</c> deletes its reply.
/// </summary>
internal static class ResponsesEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/responses", CreateAsync).WithName("OpenAIResponses").WithTags("OpenAI")
            .Produces<ResponseBody>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesChatErrors()
            .WithMetadata(OpenAIFieldNames.Responses);
        api.MapGet("/v1/responses/{id}", GetAsync).WithName("OpenAIGetResponse").WithTags("OpenAI")
            .Produces<ResponseBody>(StatusCodes.Status200OK)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ResponseNotFound);
        api.MapDelete("/v1/responses/{id}", DeleteAsync).WithName("OpenAIDeleteResponse").WithTags("OpenAI")
            .Produces<ResponseDeleted>(StatusCodes.Status200OK)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ResponseNotFound);
    }

    /// <summary>A stored response rebuilt from its reply: its text, its function calls, how it ended and its usage.</summary>
    private static async Task<JsonHttpResult<ResponseBody>> GetAsync(string id, [FromServices] IConversationStore? store, CancellationToken cancellationToken)
    {
        var (_, reply) = await StoredResponses.FindAsync(id, store, cancellationToken).ConfigureAwait(false);
        var first = reply[0];
        var last = reply[^1];
        var assistant = reply.Where(message => message.Role == ChatRole.Assistant.Value).ToList();
        var answer = assistant.LastOrDefault(message => message.Content.Length > 0) ?? first;
        var bodies = new ResponseBodies(id, first.CreatedAt.ToUnixTimeSeconds(), first.ModelKey ?? string.Empty, new ResponsesRequest(), stored: true, "msg_" + answer.Id);
        var calls = assistant.SelectMany(message => message.ToolCalls ?? []).Select(call => ToolCallJson.CreateCall(call.Id, call.Name, call.Arguments));
        var complete = last.Status == MessageStatus.Complete;
        var usage = last.InputTokens is null && last.OutputTokens is null
            ? null
            : new UsageDetails { InputTokenCount = last.InputTokens, OutputTokenCount = last.OutputTokens };
        var output = bodies.Output(answer.Content, calls, complete ? "completed" : "incomplete");
        return TypedResults.Json(bodies.Stored(output, complete, usage), ResponsesJsonContext.Default.ResponseBody);
    }

    /// <summary>Deletes a stored response's reply (and what was stored below it); its input messages stay in the conversation.</summary>
    private static async Task<JsonHttpResult<ResponseDeleted>> DeleteAsync(string id, [FromServices] IConversationStore? store, CancellationToken cancellationToken)
    {
        var (conversationId, reply) = await StoredResponses.FindAsync(id, store, cancellationToken).ConfigureAwait(false);
        await store!.DeleteMessageAsync(conversationId, reply[0].Id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new ResponseDeleted(id, "response", Deleted: true), ResponsesJsonContext.Default.ResponseDeleted);
    }

    private static async Task<IResult> CreateAsync(
        [FromBody] ResponsesRequest request,
        HttpContext context,
        [FromServices] ChatService chat,
        [FromServices] TimeProvider time,
        [FromServices] IConversationStore? store)
    {
        var aborted = context.RequestAborted;
        var target = await chat.Targets.ResolveModelNameAsync(request.Model, aborted).ConfigureAwait(false);
        var messages = ResponsesRequestMapping.ToMessages(request);
        var options = ResponsesRequestMapping.ToOptions(request);
        var model = string.IsNullOrWhiteSpace(request.Model) ? target.Route.Key.Value : request.Model;
        var createdAt = time.GetUtcNow().ToUnixTimeSeconds();
        var persist = store is not null && request.Store != false;

        if (request.PreviousResponseId is null && !persist)
        {
            var bodies = new ResponseBodies(ResponseIds.Unstored(), createdAt, model, request, stored: false);
            var sent = target.ApplyTo(messages);
            var supported = chat.ApplyParameterSupport(target.Route, target.ApplyTo(options));
            var sentOptions = supported.Options;
            DroppedParametersHeader.Set(context.Response, supported.DroppedParameters);
            if (request.Stream == true)
            {
                await SseRelay.RunAsync(context, chat.StreamAsync(target.Route, sent, sentOptions, aborted), new ResponsesSseDialect(bodies)).ConfigureAwait(false);
                return Results.Empty;
            }

            return Json(bodies, await chat.CompleteAsync(target.Route, sent, sentOptions, aborted).ConfigureAwait(false));
        }

        var (conversationId, parentId) = await ContinuedTurnAsync(request.PreviousResponseId, store, aborted).ConfigureAwait(false);
        var turn = await chat.BeginTurnAsync(
            new ChatTurnRequest(target.Route.Key.Value, messages, options, conversationId, parentId, persist, target.Profile?.Id), aborted).ConfigureAwait(false);
        DroppedParametersHeader.Set(context.Response, turn.DroppedParameters);
        var id = turn is { ConversationId: { } stored, ReplyParentId: { } under } ? ResponseIds.Stored(stored, under) : ResponseIds.Unstored();
        var turnBodies = new ResponseBodies(id, createdAt, model, request, turn.ConversationId is not null);
        if (request.Stream == true)
        {
            await SseRelay.RunAsync(context, chat.StreamTurnAsync(turn, aborted), new ResponsesSseDialect(turnBodies)).ConfigureAwait(false);
            return Results.Empty;
        }

        return Json(turnBodies, await chat.CompleteTurnAsync(turn, aborted).ConfigureAwait(false));
    }

    /// <summary>
    /// The stored conversation and message a <c>previous_response_id</c> continues from: the reply stored under the
    /// response's last input message, or that message itself when no reply was stored.
    /// </summary>
    private static async Task<(string? ConversationId, string? ParentId)> ContinuedTurnAsync(
        string? previousResponseId, IConversationStore? store, CancellationToken cancellationToken)
    {
        if (previousResponseId is null)
        {
            return (null, null);
        }

        if (store is null)
        {
            throw GatewayException.InvalidField(
                "previous_response_id",
                "conversation storage is not configured on this gateway (register a storage package, e.g. AddSqliteStorage()), so no response is stored to continue.");
        }

        var (conversationId, inputId) = ResponseIds.ParseStored(previousResponseId);
        if (await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new GatewayException(
                GatewayErrorKind.NotFound,
                GatewayErrorCodes.ConversationNotFound,
                $"previous_response_id: the conversation of response '{previousResponseId}' no longer exists.",
                new Dictionary<string, object?> { ["field"] = "previous_response_id", ["conversationId"] = conversationId });
        }

        var branch = await store.GetBranchAsync(conversationId, inputId, cancellationToken).ConfigureAwait(false);
        var at = branch.ToList().FindIndex(message => message.Id == inputId);
        if (at < 0)
        {
            throw ConversationStoreRules.MessageNotFound(conversationId, inputId, "previous_response_id");
        }

        return at + 1 < branch.Count && branch[at + 1].Role == ChatRole.Assistant.Value
            ? (conversationId, branch[at + 1].Id)
            : (conversationId, inputId);
    }

    private static IResult Json(ResponseBodies bodies, ChatResponse response)
    {
        var calls = response.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>();
        var body = bodies.Finished(bodies.Output(response.Text, calls, "completed"), response.FinishReason, response.Usage);
        return TypedResults.Json(body, ResponsesJsonContext.Default.ResponseBody);
    }
}
