using System.Text.Json;

namespace Gateway.TestUpstream.Internal;

/// <summary>
/// An <see cref="UpstreamBehavior"/> as installed on the server: its chunks encoded once for the streaming
/// hot path, and the count of injected failures it has served.
/// </summary>
internal sealed class ActiveBehavior
{
    private int _failuresServed;

    public ActiveBehavior(UpstreamBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        ArgumentOutOfRangeException.ThrowIfLessThan(behavior.FirstByteDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(behavior.ChunkDelay, TimeSpan.Zero);
        if (behavior.FailWithStatus is not 0 and (< 400 or > 599))
        {
            throw new ArgumentOutOfRangeException(
                nameof(behavior),
                behavior.FailWithStatus,
                $"{nameof(UpstreamBehavior.FailWithStatus)} must be 0 (no failure) or an HTTP error status from 400 to 599.");
        }

        Behavior = behavior;
        EncodedChunks = [.. behavior.Chunks.Select(WireJson.Encode)];
        Content = string.Concat(behavior.Chunks);
    }

    public UpstreamBehavior Behavior { get; }

    public JsonEncodedText[] EncodedChunks { get; }

    /// <summary>All chunks joined: the content of a non-streamed answer.</summary>
    public string Content { get; }

    /// <summary>Whether this request gets the injected failure, counting it against <see cref="UpstreamBehavior.FailTimes"/>.</summary>
    public bool TryTakeFailure() =>
        Behavior.FailWithStatus != 0 && Interlocked.Increment(ref _failuresServed) <= Behavior.FailTimes;
}
