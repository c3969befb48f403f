using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that remembers the due time of every timer created on it, so a test
/// can see how long the code chose to wait (a delay is a timer) before it moves the clock past it.
/// </summary>
public sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Waits (in real time, at most 30 s) until a timer due after <paramref name="dueTime"/> has been created.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_dueTimes.Contains(dueTime))
        {
            await Task.Delay(10, patience.Token);
        }
    }
}
