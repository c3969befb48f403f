namespace Gateway.TestUpstream.Internal;

/// <summary>A host lifetime that leaves Ctrl+C and SIGTERM to the process that embeds the fake.</summary>
internal sealed class NoopHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
