using Gateway.Core.Errors;
using Polly;
using Polly.Retry;

namespace Gateway.Storage.Relational;

/// <summary>
/// One engine's transient errors (a lock it gave up waiting for, a transaction it aborted to break a
/// conflict): which exceptions they are, how many attempts a write gets in all, the delay unit of its
/// backoff (before retry <c>n</c>: <c>unit × n²</c> plus up to one unit of jitter, so replicas that
/// collided do not collide again in step), and the <see cref="GatewayErrorCodes.StorageBusy"/> error a
/// caller gets once every attempt failed.
/// </summary>
internal sealed class TransientErrors(Func<Exception, bool> isTransient, int attempts, TimeSpan delayUnit, Func<Exception, GatewayException> busy)
{
    /// <summary>How many times a write is tried in all before it is <see cref="GatewayErrorCodes.StorageBusy"/>.</summary>
    public int Attempts => attempts;

    public bool IsTransient(Exception error) => isTransient(error);

    /// <summary>The <see cref="GatewayErrorCodes.StorageBusy"/> error (HTTP 503) for a transient <paramref name="error"/> that outlasted the retries.</summary>
    public GatewayException Busy(Exception error) => busy(error);

    /// <summary>The pause before retry <paramref name="retry"/> (1 for the first).</summary>
    public TimeSpan Delay(int retry) => delayUnit * (retry * retry) + delayUnit * Random.Shared.NextDouble();

    /// <summary>The retry pipeline for these errors; its delays run on <paramref name="time"/>.</summary>
    public ResiliencePipeline CreatePipeline(TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(isTransient),
                MaxRetryAttempts = attempts - 1,
                DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(Delay(arguments.AttemptNumber + 1)),
            })
            .Build();
}
