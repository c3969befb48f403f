using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>
/// <c>RATE_LIMIT_PER_MIN</c> shared by every gateway replica on one Redis. One Lua script counts the
/// request and decides in the same atomic step, reading the clock from Redis itself, so N replicas
/// (whatever their own clocks say) can never admit more than the limit in a window together. The
/// window is a fixed minute. When Redis cannot be reached the request is served (fail-open): a
/// warning is logged (at most every 30 s) and <c>gateway_rate_limiter_errors_total</c> counts it.
/// A resource is (partition, permits per minute): the caller's partition (the API key's digest prefix
/// or the client address, never the key) and the budget, which the HTTP layer passes. Redis is only
/// asked asynchronously: <c>AttemptAcquire</c> counts nothing and answers not-acquired, so callers
/// (ASP.NET Core's rate limiting middleware among them) go on to <c>AcquireAsync</c>.
/// </summary>
public sealed partial class RedisRateLimiter : PartitionedRateLimiter<(string Partition, int PermitsPerMinute)>
{
    private const string KeyPrefix = "gateway:ratelimit:";

    // KEYS[1] = the partition's key prefix, ARGV[1] = the limit, ARGV[2] = the permits asked for.
    // Returns {admitted (1|0), milliseconds until the window ends}.
    private const string Script = """
        local now = redis.call('TIME')
        local seconds = tonumber(now[1])
        local window = seconds - (seconds % 60)
        local key = KEYS[1] .. ':' .. window
        local count = redis.call('INCRBY', key, ARGV[2])
        if count == tonumber(ARGV[2]) then
          redis.call('EXPIRE', key, 61)
        end
        local remaining = (window + 60 - seconds) * 1000 - math.floor(tonumber(now[2]) / 1000)
        if count > tonumber(ARGV[1]) then
          return {0, remaining}
        end
        return {1, remaining}
        """;

    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private readonly ILogger<RedisRateLimiter> _logger;
    private readonly TimeProvider _time;
    private readonly Counter<long> _errors;
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _ownsConnection;
    private long _lastWarning;
    private long _failuresSinceWarning;
    private int _disposed;

    /// <summary>Creates the limiter; the connection is opened on first use.</summary>
    /// <param name="options">Where Redis is: <c>REDIS_URL</c>.</param>
    /// <param name="logger">Where fail-open warnings go.</param>
    /// <param name="time">The clock for throttling warnings.</param>
    /// <param name="meterFactory">Creates the <c>Gateway.Redis</c> meter; <see langword="null"/> for a meter of its own.</param>
    /// <param name="connection">A connection the app registered; <see langword="null"/> to connect to <c>REDIS_URL</c>.</param>
    public RedisRateLimiter(
        IOptions<RedisOptions> options,
        ILogger<RedisRateLimiter> logger,
        TimeProvider time,
        IMeterFactory? meterFactory = null,
        IConnectionMultiplexer? connection = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _time = time;
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _errors = meter.CreateCounter<long>(
            "gateway.rate_limiter.errors", "{error}", "Rate-limit checks that could not reach their store; the requests were served (fail-open).");
        _ownsConnection = connection is null;
        var url = options.Value.Url;
        _connection = new Lazy<Task<IConnectionMultiplexer>>(() => connection is not null
            ? Task.FromResult(connection)
            : ConnectAsync(url ?? throw new InvalidOperationException("REDIS_URL is not set.")));
    }

    /// <summary>The meter's name, the package's name.</summary>
    public const string MeterName = "Gateway.Redis";

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics((string Partition, int PermitsPerMinute) resource) => null;

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore((string Partition, int PermitsPerMinute) resource, int permitCount) =>
        resource.PermitsPerMinute <= 0 ? RedisRateLimitLease.Admitted : RedisRateLimitLease.NotAsked;

    /// <inheritdoc />
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(
        (string Partition, int PermitsPerMinute) resource, int permitCount, CancellationToken cancellationToken)
    {
        if (resource.PermitsPerMinute <= 0)
        {
            return RedisRateLimitLease.Admitted;
        }

        try
        {
            var redis = await _connection.Value.ConfigureAwait(false);
            var result = (RedisResult[])(await redis.GetDatabase()
                .ScriptEvaluateAsync(Script, [new RedisKey(KeyPrefix + resource.Partition)], [resource.PermitsPerMinute, permitCount])
                .ConfigureAwait(false))!;
            return (long)result[0] == 1
                ? RedisRateLimitLease.Admitted
                : RedisRateLimitLease.Refused(TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
        {
            Failed(ex);
            return RedisRateLimitLease.Admitted;
        }
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        // The container may dispose this twice: once as RedisRateLimiter, once as the counter it stands for.
        if (Interlocked.Exchange(ref _disposed, 1) == 0
            && _ownsConnection && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await (await _connection.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0
            && _ownsConnection && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            // The task has completed, so this does not block.
            _connection.Value.GetAwaiter().GetResult().Dispose();
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string url) =>
        await ConnectionMultiplexer.ConnectAsync(RedisEndpoint.Parse(url)).ConfigureAwait(false);

    /// <summary>Counts every failure; logs a warning at most every 30 s, with how many it stands for.</summary>
    private void Failed(Exception exception)
    {
        _errors.Add(1, new KeyValuePair<string, object?>("backend", "redis"));
        var failures = Interlocked.Increment(ref _failuresSinceWarning);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= WarningInterval)
            && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            Interlocked.Exchange(ref _failuresSinceWarning, 0);
            LogFailOpen(_logger, failures, exception);
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Redis could not be reached for rate limiting; {Failures} request(s) served without a limit check (fail-open).")]
    private static partial void LogFailOpen(ILogger logger, long failures, Exception exception);
}
