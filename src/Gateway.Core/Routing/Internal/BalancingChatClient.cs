using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace Gateway.Core.Routing.Internal;

/// <summary>
/// A route's client over its deployments: each request goes to the deployment with the fewest
/// outstanding requests that is not cooling down, and on to the next when it fails before its first
/// byte (<see cref="FailoverPolicy"/>). Each deployment's circuit breaker counts those failures.
/// </summary>
internal sealed partial class BalancingChatClient : IChatClient
{
    private readonly ModelRoute _route;
    private readonly RouteDeployments _deployments;
    private readonly Dictionary<DeploymentSlot, IChatClient> _clients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BalancingChatClient(ModelRoute route, RouteDeployments deployments, Func<ModelDeployment, IChatClient> createClient, TimeProvider time, ILogger logger)
    {
        _route = route;
        _deployments = deployments;
        _clients = deployments.Slots.ToDictionary(slot => slot, slot => createClient(slot.Deployment));
        _time = time;
        _logger = logger;
    }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        GatewayException? failure = null;
        foreach (var slot in _deployments.Order(_time.GetUtcNow()))
        {
            slot.Enter();
            try
            {
                return await slot.Breaker.ExecuteAsync(
                    static (state, token) => new ValueTask<ChatResponse>(state.Client.GetResponseAsync(state.messages, state.options, token)),
                    (Client: ClientOf(slot), messages, options),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (BrokenCircuitException)
            {
                // It opened since the order was taken, or another request is trying it half-open.
            }
            catch (GatewayException ex) when (FailoverPolicy.ShouldFailOver(ex))
            {
                failure = Failed(slot, ex);
            }
            finally
            {
                slot.Leave();
            }
        }

        throw failure ?? CoolingDown();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        GatewayException? failure = null;
        foreach (var slot in _deployments.Order(_time.GetUtcNow()))
        {
            slot.Enter();
            FirstUpdate opened;
            try
            {
                opened = await slot.Breaker.ExecuteAsync(
                    static async (state, token) => await FirstUpdate.OpenAsync(state.Client, state.messages, state.options, token).ConfigureAwait(false),
                    (Client: ClientOf(slot), messages, options),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is BrokenCircuitException || (ex is GatewayException gateway && FailoverPolicy.ShouldFailOver(gateway)))
            {
                slot.Leave();
                failure = ex is GatewayException failed ? Failed(slot, failed) : failure;
                continue;
            }
            catch
            {
                slot.Leave();
                throw;
            }

            try
            {
                var more = opened.HasFirst;
                while (more)
                {
                    yield return opened.Updates.Current;
                    more = await opened.Updates.MoveNextAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                await opened.Updates.DisposeAsync().ConfigureAwait(false);
                slot.Leave();
            }

            yield break;
        }

        throw failure ?? CoolingDown();
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ModelRoute) ? _route
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : _clients[_deployments.Slots[0]].GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private IChatClient ClientOf(DeploymentSlot slot) => _clients[slot];

    private GatewayException Failed(DeploymentSlot slot, GatewayException ex)
    {
        if (_clients.Count > 1)
        {
            LogDeploymentFailed(_logger, _route.Key.Value, slot.Deployment.Index + 1, DeploymentSlot.Describe(slot.Deployment), ex.ErrorCode, ex.Message);
        }

        return ex;
    }

    private GatewayException CoolingDown()
    {
        var now = _time.GetUtcNow();
        var next = _deployments.Slots.Select(slot => slot.Status(now).CoolingDownUntil).Where(until => until is not null).Min();
        return new GatewayException(
            GatewayErrorKind.UpstreamFailure,
            GatewayErrorCodes.UpstreamUnavailable,
            next is { } until
                ? $"Every deployment of route '{_route.Key}' failed repeatedly and is cooling down; the first is tried again at {until:O} (DEPLOYMENT_COOLDOWN_SECONDS)."
                : $"Every deployment of route '{_route.Key}' is being tried by another request after its cool-down; try again shortly.",
            new Dictionary<string, object?>
            {
                ["modelKey"] = _route.Key.Value,
                ["provider"] = _route.Provider,
                ["coolingDownUntil"] = next,
            });
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Route '{ModelKey}' deployment {Deployment} ({Endpoint}) failed before answering ({ErrorCode}: {Detail}); the request goes to the next deployment, if any.")]
    private static partial void LogDeploymentFailed(ILogger logger, string modelKey, int deployment, string endpoint, string errorCode, string detail);
}
