namespace Gateway.Core.Jobs.Internal;

/// <summary>
/// A signal that wakes everyone waiting on it, then rearms. A waiter takes <see cref="Next"/> before it
/// looks (for a job to claim, for a job's state) and waits on it after, so a pulse fired in between is not
/// missed.
/// </summary>
internal sealed class JobPulse
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Fire"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every waiter of <see cref="Next"/>.</summary>
    public void Fire() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for <paramref name="pulse"/> or <paramref name="timeout"/>, whichever comes first; returns early, without throwing, on cancellation.</summary>
    public static async Task WaitAsync(Task pulse, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var delayStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(pulse, Task.Delay(timeout, time, delayStop.Token)).ConfigureAwait(false);
        await delayStop.CancelAsync().ConfigureAwait(false);
    }
}
