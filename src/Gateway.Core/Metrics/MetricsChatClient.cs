using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Metrics;

/// <summary>
/// The outermost step of a route's pipeline: records requests, durations, upstream errors, tokens,
/// time to first token and open streams, and each finished request into the route's
/// <see cref="ModelLatencyWindow"/>. Per streamed chunk it only checks two flags, so it adds no
/// allocation to the hot path.
/// </summary>
internal sealed class MetricsChatClient(
    IChatClient inner, ModelRoute route, GatewayMetrics metrics, ModelLatencyWindow latency, TimeProvider time)
    : DelegatingChatClient(inner)
{
    private const string Ok = "ok";
    private const string Cancelled = "cancelled";

    private readonly KeyValuePair<string, object?> _modelKey = new("model_key", route.Key.Value);
    private readonly KeyValuePair<string, object?> _provider = new("provider", route.Provider);

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            RecordCompletion(started, firstToken: null, Ok, response.Usage);
            return response;
        }
        catch (Exception ex)
        {
            RecordCompletion(started, firstToken: null, Observe(ex), usage: null);
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var status = Ok;
        UsageDetails? usage = null;
        // Ticks to the first token, -1 while waiting: one long in the iterator's state, where a TimeSpan? and a flag would take 24 bytes.
        var firstTokenTicks = -1L;
        metrics.ActiveStreams.Add(1, _modelKey, _provider);
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    status = Observe(ex);
                    throw;
                }

                var update = updates.Current;
                // An index loop: foreach over the IList would box an enumerator for every chunk.
                var contents = update.Contents;
                for (var i = 0; i < contents.Count; i++)
                {
                    var content = contents[i];
                    if (firstTokenTicks < 0 && content is TextContent { Text.Length: > 0 })
                    {
                        var firstToken = time.GetElapsedTime(started);
                        firstTokenTicks = firstToken.Ticks;
                        metrics.TimeToFirstToken.Record(firstToken.TotalSeconds, _modelKey, _provider);
                    }
                    else if (content is UsageContent usageContent)
                    {
                        usage = usageContent.Details;
                    }
                }

                yield return update;
            }
        }
        finally
        {
            metrics.ActiveStreams.Add(-1, _modelKey, _provider);
            RecordCompletion(started, firstTokenTicks >= 0 ? TimeSpan.FromTicks(firstTokenTicks) : null, status, usage);
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void RecordCompletion(long started, TimeSpan? firstToken, string status, UsageDetails? usage)
    {
        var duration = time.GetElapsedTime(started);
        var tags = new TagList { _modelKey, _provider, { "status", status } };
        metrics.Requests.Add(1, tags);
        metrics.RequestDuration.Record(duration.TotalSeconds, tags);
        switch (status)
        {
            case Ok:
                latency.RecordSuccess(duration, firstToken, usage?.OutputTokenCount);
                break;
            case Cancelled:
                // The caller went away: neither the model's speed nor its failure.
                break;
            default:
                latency.RecordFailure(duration);
                break;
        }

        if (usage?.InputTokenCount is long input)
        {
            metrics.Tokens.Add(input, _modelKey, _provider, new("direction", "input"));
        }

        if (usage?.OutputTokenCount is long output)
        {
            metrics.Tokens.Add(output, _modelKey, _provider, new("direction", "output"));
        }
    }

    /// <summary>Counts an upstream failure by kind and returns the request's status label.</summary>
    private string Observe(Exception exception)
    {
        if (exception is OperationCanceledException)
        {
            return Cancelled;
        }

        if (exception is not GatewayException error)
        {
            return GatewayErrorCodes.InternalError;
        }

        var kind = error.ErrorCode switch
        {
            GatewayErrorCodes.UpstreamUnavailable => "connect",
            GatewayErrorCodes.UpstreamTimeout => "timeout",
            GatewayErrorCodes.UpstreamProtocolError => "protocol",
            GatewayErrorCodes.UpstreamError or GatewayErrorCodes.UpstreamBadRequest or GatewayErrorCodes.UpstreamAuthenticationFailed => "status",
            _ => null,
        };
        if (kind is not null)
        {
            metrics.UpstreamErrors.Add(1, _modelKey, _provider, new("kind", kind));
        }

        return error.ErrorCode;
    }
}
