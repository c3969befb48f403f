using Gateway.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Models;

/// <summary>
/// Refreshes <see cref="ModelMetadataCatalog"/> once at start-up and then every
/// <c>MODEL_METADATA_REFRESH_SECONDS</c>, so no request ever waits on an upstream's metadata.
/// </summary>
internal sealed partial class ModelMetadataRefreshService(
    ModelMetadataCatalog catalog,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<ModelMetadataRefreshService>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = logger ?? NullLogger<ModelMetadataRefreshService>.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ModelMetadataRefreshSeconds);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        // BackgroundService (10.0 and later) runs this on the thread pool, so start-up goes on while the first round runs.
        try
        {
            while (true)
            {
                // Due times are fixed before each round, so a slow round does not push the next one back,
                // and a clock that moved on while a round ran is never waited on again.
                var due = time.GetUtcNow() + interval;
                try
                {
                    await catalog.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    // The catalog turns each upstream's failure into its route's state; this is a bug, not an outage.
                    LogRefreshFailed(_logger, error);
                }

                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing model metadata failed unexpectedly; the next round runs as scheduled.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception error);
}
