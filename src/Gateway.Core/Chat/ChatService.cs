using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Gateway.Core.Chat.Internal;
using Gateway.Core.Chat.Retrieval;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.Models;
using Gateway.Core.Metrics;
using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Gateway.Core.Routing.Internal;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Chat;

/// <summary>
/// The one entry point the HTTP layer calls for a chat turn: resolve the route, enforce the
/// allowlist, validate the request (refusing tools on a route that cannot call them) and run it through the route's pipeline, built once per route with
/// a <see cref="ChatClientBuilder"/>: the app's steps (<see cref="ChatPipelineOptions"/>), then
/// OpenTelemetry when switched on, then the gateway's metrics and total timeout, around the provider's client, whose HTTP calls carry the
/// connect/write/read timeouts and the retries. When a conversation store is registered,
/// a turn loads its history from the store and stores its messages and the reply: the user's
/// messages before the upstream is called, the reply when it ends — as <c>incomplete</c> when the
/// stream broke or the client left after some text arrived, so no text a user saw is lost. Tool calls
/// and tool results are stored as messages too, and come back as the same contents in the history.
/// A turn that asks for retrieval, or runs in a space with collections, first gets the passages of the
/// user's documents from the <see cref="IChatContextRetriever"/> as a system message before its question
/// (<see cref="ChatContextOptions"/>), and its reply keeps their citations.
/// </summary>
public sealed class ChatService
{
    private readonly ConcurrentDictionary<RouteKey, IChatClient> _clients = new();
    private readonly ConcurrentDictionary<RouteKey, IChatClient> _routePipelines = new();
    private readonly Dictionary<string, IChatProvider> _providers;
    private readonly IList<Action<ModelRoute, ChatClientBuilder>> _pipelineSteps;
    private readonly bool _openTelemetry;
    private readonly bool _dropUnsupportedParameters;
    private readonly IServiceProvider _services;
    private readonly IConversationStore? _store;
    private readonly ChatToolSupport _tools;
    private readonly ChatImageSupport _images;
    private readonly ChatTurnRetrieval _retrieval;

    /// <summary>Creates the service; normally resolved from DI after <c>AddGateway()</c>.</summary>
    /// <param name="targets">Resolves the route and profile of a turn, and enforces the allowlist.</param>
    /// <param name="providers">The upstream providers.</param>
    /// <param name="pipeline">The app's steps of every route's pipeline.</param>
    /// <param name="options">The gateway's options (whether parameters a route cannot honour are dropped).</param>
    /// <param name="services">The services each route's pipeline is built with (its steps resolve theirs from it).</param>
    /// <param name="store">Conversation storage, when a storage package is registered.</param>
    /// <param name="retriever">Retrieval from the user's documents, when a retrieval package is registered.</param>
    public ChatService(
        ChatTargetResolver targets,
        IEnumerable<IChatProvider> providers,
        IOptions<ChatPipelineOptions> pipeline,
        IOptions<GatewayOptions> options,
        IServiceProvider services,
        IConversationStore? store = null,
        IChatContextRetriever? retriever = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(options);
        _dropUnsupportedParameters = options.Value.DropUnsupportedParameters;
        _store = store;
        _services = services;
        _tools = new ChatToolSupport(services.GetService<ModelMetadataCatalog>());
        _images = new ChatImageSupport(services.GetService<ModelMetadataCatalog>(), options.Value);
        _retrieval = new ChatTurnRetrieval(retriever, services.GetService<IOptions<ChatContextOptions>>()?.Value ?? new ChatContextOptions());
        _pipelineSteps = pipeline.Value.Steps;
        _openTelemetry = pipeline.Value.OpenTelemetry;
        Targets = targets;
        _providers = new Dictionary<string, IChatProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            _providers.TryAdd(provider.Name, provider);
        }
    }

    /// <summary>Resolves the route and profile of a turn, and enforces the allowlist.</summary>
    public ChatTargetResolver Targets { get; }

    /// <summary>Resolves routes and enforces the allowlist.</summary>
    public ModelRouter Router => Targets.Router;

    /// <summary>Runs a chat turn to completion.</summary>
    /// <exception cref="GatewayException">The request is invalid, or the upstream failed or timed out.</exception>
    public Task<ChatResponse> CompleteAsync(
        ModelRoute route, IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        Validate(route, messages, options);
        return GetClient(route).GetResponseAsync(messages, options, cancellationToken);
    }

    /// <summary>
    /// Streams a chat turn. The request is validated now, before the first update is asked for, so a
    /// caller can still answer with a plain error status.
    /// </summary>
    /// <exception cref="GatewayException">The request is invalid (thrown at once), or the upstream failed or timed out (thrown while enumerating).</exception>
    public IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        ModelRoute route, IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        Validate(route, messages, options);
        return GetClient(route).GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    /// <summary>
    /// Holds <paramref name="options"/> against what the route's provider honours (the
    /// <see cref="ChatParameterSupport"/> its client offers; everything when it offers none): a parameter
    /// it cannot honour is refused with <see cref="GatewayErrorCodes.UnsupportedParameter"/>, or dropped and
    /// listed when <c>DROP_UNSUPPORTED_PARAMS</c> is on. <see cref="BeginTurnAsync"/> applies it itself.
    /// </summary>
    /// <exception cref="GatewayException"><c>unsupported_parameter</c>, naming the first parameter the route cannot honour.</exception>
    public SupportedChatOptions ApplyParameterSupport(ModelRoute route, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(route);
        var support = GetClient(route).GetService<ChatParameterSupport>() ?? ChatParameterSupport.Everything;
        return ChatParameterRule.Apply(route, options, support, _dropUnsupportedParameters);
    }

    /// <summary>
    /// Prepares a turn: resolves the route, loads the stored history when the request names a
    /// conversation, validates the whole history, retrieves its context, and stores the new messages
    /// (creating a conversation when storage is configured and the request names none). Nothing is stored
    /// when retrieval fails.
    /// </summary>
    /// <exception cref="GatewayException">Routing, validation or storage rejected the request.</exception>
    public async Task<ChatTurn> BeginTurnAsync(ChatTurnRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ConversationId is null)
        {
            if (request.ParentId is not null)
            {
                throw GatewayException.InvalidField("parentId", "needs a conversationId: it names a message of a stored conversation.");
            }

            var target = await Targets.ResolveAsync(request.ModelKey, request.ProfileId, request.SpaceId, cancellationToken: cancellationToken).ConfigureAwait(false);
            var sent = target.ApplyTo(request.Messages);
            var options = ApplyParameterSupport(target.Route, target.ApplyTo(request.Options));
            Validate(target.Route, sent, options.Options);
            var (withContext, citations) = await _retrieval.ApplyAsync(request.Retrieval, request.SpaceId, sent, cancellationToken).ConfigureAwait(false);
            if (_store is null || !request.Persist)
            {
                return new ChatTurn(target, withContext, options, conversationId: null, replyParentId: null, citations);
            }

            var firstUserText = request.Messages.FirstOrDefault(m => m.Role == ChatRole.User)?.Text;
            var created = await _store.CreateConversationAsync(
                new NewConversation(ConversationTitles.FromFirstMessage(firstUserText), request.SpaceId), cancellationToken).ConfigureAwait(false);
            var parent = await StoreMessagesAsync(created.Id, null, request.Messages, request.Messages, cancellationToken).ConfigureAwait(false);
            return new ChatTurn(target, withContext, options, created.Id, parent, citations);
        }

        if (_store is null)
        {
            throw GatewayException.InvalidField("conversationId", "conversation storage is not configured on this gateway (register a storage package, e.g. AddSqliteStorage()).");
        }

        var conversation = await _store.GetConversationAsync(request.ConversationId, cancellationToken).ConfigureAwait(false)
            ?? throw ConversationStoreRules.ConversationNotFound(request.ConversationId);

        // A turn of a stored conversation runs in the request's space, else the conversation's own
        // (which may since have been deleted: then it names no profile).
        var continued = request.SpaceId is null && conversation.SpaceId is not null
            ? await Targets.ResolveAsync(request.ModelKey, request.ProfileId, conversation.SpaceId, spaceMustExist: false, cancellationToken).ConfigureAwait(false)
            : await Targets.ResolveAsync(request.ModelKey, request.ProfileId, request.SpaceId, cancellationToken: cancellationToken).ConfigureAwait(false);
        var history = await LoadHistoryAsync(conversation.Id, request.ParentId, cancellationToken).ConfigureAwait(false);
        var messages = new List<ChatMessage>(history.Count + request.Messages.Count);
        foreach (var stored in history)
        {
            messages.Add(StoredChatMessages.ToChatMessage(stored));
        }

        messages.AddRange(request.Messages);
        var turnMessages = continued.ApplyTo(messages);
        var turnOptions = ApplyParameterSupport(continued.Route, continued.ApplyTo(request.Options));
        Validate(continued.Route, turnMessages, turnOptions.Options);
        var (turnWithContext, turnCitations) = await _retrieval.ApplyAsync(
            request.Retrieval, request.SpaceId ?? conversation.SpaceId, turnMessages, cancellationToken).ConfigureAwait(false);
        var lastStored = history.Count > 0 ? history[^1].Id : null;
        var replyParent = request.Persist
            ? await StoreMessagesAsync(conversation.Id, lastStored, request.Messages, messages, cancellationToken).ConfigureAwait(false)
            : lastStored;
        return new ChatTurn(continued, turnWithContext, turnOptions, request.Persist ? conversation.Id : null, replyParent, turnCitations);
    }

    /// <summary>Runs a prepared turn to completion and stores the reply.</summary>
    /// <exception cref="GatewayException">The upstream failed or timed out (nothing is stored for the reply).</exception>
    public async Task<ChatResponse> CompleteTurnAsync(ChatTurn turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var response = await GetClient(turn.Route).GetResponseAsync(turn.Messages, turn.Options, cancellationToken).ConfigureAwait(false);
        turn.AnsweringRoute = AnsweringRoute.Get(response) ?? turn.Route.Key;
        var reply = new ReplyRecorder { Usage = response.Usage };
        foreach (var content in response.Messages.SelectMany(message => message.Contents))
        {
            reply.Add(content);
        }

        await StoreReplyAsync(turn, reply, MessageStatus.Complete).ConfigureAwait(false);
        return response;
    }

    /// <summary>
    /// Streams a prepared turn. The reply is stored when the stream ends: <c>complete</c> when it
    /// finished, <c>incomplete</c> when it broke or was abandoned after some text arrived. The store
    /// write happens before the enumeration reports its end, so <see cref="ChatTurn.ReplyMessageId"/> is
    /// set by the time a caller writes its closing event.
    /// </summary>
    public IAsyncEnumerable<ChatResponseUpdate> StreamTurnAsync(ChatTurn turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var updates = GetClient(turn.Route).GetStreamingResponseAsync(turn.Messages, turn.Options, cancellationToken);
        if (turn.Route.Fallbacks.Count > 0)
        {
            updates = NoteAnsweringRouteAsync(turn, updates, cancellationToken);
        }

        return turn.ConversationId is null ? updates : RecordAsync(turn, updates, cancellationToken);
    }

    /// <summary>
    /// The route's client, built once: the route's whole pipeline around its deployments (each its
    /// provider's client; requests spread over the healthy ones), and when the route has fallbacks, their
    /// pipelines after it for a turn that fails before its first byte. A fallback's answer is marked with
    /// its route (<see cref="AnsweringRoute"/>).
    /// </summary>
    public IChatClient GetClient(ModelRoute route) =>
        _clients.GetOrAdd(route.Key, static (_, state) => state.self.BuildClient(state.route), (self: this, route));

    /// <summary>The request's own rules, then whether its route can do what it asks (tools).</summary>
    private void Validate(ModelRoute route, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        ChatRequestValidator.Validate(messages, options);
        _tools.EnsureSupported(route, options);
        _images.EnsureSupported(route, messages);
    }

    private IChatClient BuildClient(ModelRoute route)
    {
        var own = GetRoutePipeline(route);
        if (route.Fallbacks.Count == 0)
        {
            return own;
        }

        var chain = new List<(RouteKey, IChatClient)>(1 + route.Fallbacks.Count) { (route.Key, own) };
        var routes = new Dictionary<RouteKey, ModelRoute> { [route.Key] = route };
        foreach (var key in route.Fallbacks)
        {
            var fallback = Router.Resolve(key.Value);
            routes[key] = fallback;
            chain.Add((key, GetRoutePipeline(fallback)));
        }

        // A fallback that cannot do what the turn asks (its tools, its images) is skipped, not sent a turn it would drop parts of.
        return new FallbackChatClient(
            chain,
            (key, messages, options) => _tools.CanServe(routes[key], options) && _images.CanServe(routes[key], messages),
            _services.GetRequiredService<GatewayMetrics>(),
            (ILogger?)_services.GetService<ILoggerFactory>()?.CreateLogger<ChatService>() ?? NullLogger.Instance);
    }

    private IChatClient GetRoutePipeline(ModelRoute route) =>
        _routePipelines.GetOrAdd(route.Key, static (_, state) => state.self.BuildRoutePipeline(state.route), (self: this, route));

    private IChatClient BuildRoutePipeline(ModelRoute route)
    {
        var deployments = _services.GetRequiredService<DeploymentBalancer>().CreateClient(
            route, deployment => _providers[deployment.Provider].CreateClient(route.ForDeployment(deployment)));
        var pipeline = new ChatClientBuilder(deployments);
        foreach (var step in _pipelineSteps)
        {
            step(route, pipeline);
        }

        if (_openTelemetry)
        {
            pipeline.UseOpenTelemetry(sourceName: GatewayOpenTelemetry.ActivitySourceName);
        }

        // Innermost: the timeout bounds each call of the provider, the metrics count each such call.
        return pipeline.UseGatewayMetrics(route).UseTotalTimeout(route).Build(_services);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> NoteAnsweringRouteAsync(
        ChatTurn turn, IAsyncEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = true;
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (first)
            {
                turn.AnsweringRoute = AnsweringRoute.Get(update) ?? turn.Route.Key;
                first = false;
            }

            yield return update;
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> RecordAsync(
        ChatTurn turn, IAsyncEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reply = new ReplyRecorder();
        var finished = false;
        try
        {
            await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                // The stored reply is choice 0 (a request for several, see ChatChoices).
                if (ChatChoices.IndexOf(update) == 0)
                {
                    // An index loop: foreach over the IList would box an enumerator for every chunk.
                    var contents = update.Contents;
                    for (var i = 0; i < contents.Count; i++)
                    {
                        reply.Add(contents[i]);
                    }
                }

                yield return update;
            }

            finished = true;
        }
        finally
        {
            // Runs on completion, on an upstream failure and when the caller stops early (a client that left).
            if (finished || reply.HasContent)
            {
                await StoreReplyAsync(turn, reply, finished ? MessageStatus.Complete : MessageStatus.Incomplete).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<ConversationMessage>> LoadHistoryAsync(string conversationId, string? parentId, CancellationToken cancellationToken)
    {
        var branch = await _store!.GetBranchAsync(conversationId, parentId, cancellationToken).ConfigureAwait(false);
        if (parentId is null)
        {
            return branch;
        }

        // The branch through the parent also runs on below it; the turn continues from the parent itself.
        for (var i = 0; i < branch.Count; i++)
        {
            if (branch[i].Id == parentId)
            {
                return branch.Take(i + 1).ToList();
            }
        }

        throw ConversationStoreRules.MessageNotFound(conversationId, parentId, "parentId");
    }

    // known: every message of the turn so far (history and request), whose tool calls name the functions of the results stored.
    private async Task<string?> StoreMessagesAsync(
        string conversationId, string? parentId, IReadOnlyList<ChatMessage> messages, IEnumerable<ChatMessage> known, CancellationToken cancellationToken)
    {
        var toolNames = StoredChatMessages.ToolNames(known);
        foreach (var message in messages.SelectMany(message => StoredChatMessages.ToNewMessages(message, toolNames)))
        {
            parentId = await AppendAsync(conversationId, parentId, message, cancellationToken).ConfigureAwait(false);
        }

        return parentId;
    }

    private async Task<string> AppendAsync(string conversationId, string? parentId, NewMessage message, CancellationToken cancellationToken) =>
        (await _store!.AppendMessageAsync(conversationId, message with { ParentId = parentId }, cancellationToken).ConfigureAwait(false)).Id;

    private async Task StoreReplyAsync(ChatTurn turn, ReplyRecorder reply, MessageStatus status)
    {
        if (turn.ConversationId is null)
        {
            return;
        }

        // Not the request's token: a reply that reached the client is stored even when the client has left.
        var parentId = turn.ReplyParentId;
        var messages = reply.ToMessages(turn.AnsweringRoute.Value, status, turn.Messages);
        // The sources were given for the answer: the last assistant message of the reply keeps them.
        var answer = messages.FindLastIndex(message => message.Role == ChatRole.Assistant.Value);
        if (turn.Citations is { Count: > 0 } citations && answer >= 0)
        {
            messages[answer] = messages[answer] with { Citations = citations };
        }

        foreach (var message in messages)
        {
            parentId = await AppendAsync(turn.ConversationId, parentId, message, CancellationToken.None).ConfigureAwait(false);
        }

        turn.ReplyMessageId = parentId;
    }
}
