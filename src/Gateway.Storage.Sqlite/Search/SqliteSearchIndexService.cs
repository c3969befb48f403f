using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Storage.Sqlite.Search;

/// <summary>
/// Runs <see cref="SqliteSearchIndexer.CatchUpAsync"/> once at start-up (an import may have committed
/// just before the last shutdown) and again whenever an import asks for it.
/// </summary>
internal sealed partial class SqliteSearchIndexService(
    SqliteSearchIndexer indexer,
    TimeProvider time,
    ILogger<SqliteSearchIndexService>? logger = null) : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    private readonly ILogger _logger = logger ?? NullLogger<SqliteSearchIndexService>.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        indexer.RequestCatchUp();
        var retryDelay = FirstRetryDelay;
        try
        {
            while (true)
            {
                await indexer.WaitForRequestAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    var indexed = await indexer.CatchUpAsync(stoppingToken).ConfigureAwait(false);
                    if (indexed > 0)
                    {
                        LogCaughtUp(_logger, indexed);
                    }

                    retryDelay = FirstRetryDelay;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // What is indexed stays indexed; the backlog keeps the rest for the next attempt. The delay
                    // doubles so a lasting problem (a file not migrated yet) does not flood the log.
                    LogFailed(_logger, retryDelay.TotalSeconds, error);
                    await Task.Delay(retryDelay, time, stoppingToken).ConfigureAwait(false);
                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
                    indexer.RequestCatchUp();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; the backlog survives in the database.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The search index caught up: {Messages} imported message(s) indexed.")]
    private static partial void LogCaughtUp(ILogger logger, long messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Indexing imported messages for search failed; retrying in {Seconds} s. Search reports the messages it cannot find yet.")]
    private static partial void LogFailed(ILogger logger, double seconds, Exception exception);
}
