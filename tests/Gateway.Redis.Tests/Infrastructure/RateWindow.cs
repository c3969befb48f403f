namespace Gateway.Redis.Tests.Infrastructure;

/// <summary>The limiter's window is a clock-aligned minute; a test that counts must not straddle two.</summary>
public static class RateWindow
{
    /// <summary>Waits while the current minute has less than <paramref name="needed"/> left.</summary>
    public static async Task EnsureRoomAsync(TimeSpan needed)
    {
        var now = DateTimeOffset.UtcNow;
        var left = TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
        if (left < needed)
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(200));
        }
    }
}
