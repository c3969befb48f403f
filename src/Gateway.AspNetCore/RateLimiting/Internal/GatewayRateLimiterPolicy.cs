using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.AspNetCore.Configuration;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.RateLimiting.Internal;

/// <summary>
/// <see cref="GatewayRateLimiterDefaults.PolicyName"/>: <c>RATE_LIMIT_PER_MIN</c> per caller
/// (<see cref="CallerPartition"/>), counted by the registered
/// <see cref="PartitionedRateLimiter{TResource}"/> of (partition, permits per minute). A refused request
/// gets 429 <c>rate_limited</c> with <c>Retry-After</c> and counts in <c>gateway_rate_limited_total</c>.
/// </summary>
internal sealed class GatewayRateLimiterPolicy : IRateLimiterPolicy<string>
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly int _limit;
    private readonly Func<string, RateLimiter> _createLimiter;
    private readonly GatewayHttpMetrics _metrics;

    public GatewayRateLimiterPolicy(
        IOptions<GatewayHttpOptions> options,
        PartitionedRateLimiter<(string Partition, int PermitsPerMinute)> counter,
        GatewayHttpMetrics metrics,
        TimeProvider time)
    {
        _limit = options.Value.RateLimitPerMinute;
        _createLimiter = partition => new CountedPartitionLimiter(counter, partition, _limit, time);
        _metrics = metrics;
        OnRejected = RejectAsync;
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; }

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        httpContext.Features.Set(RateLimitChecked.Instance);
        return _limit <= 0
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.Get(CallerPartition.Of(httpContext), _createLimiter);
    }

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        _metrics.RateLimited.Add(1);
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await GatewayProblems.Result(GatewayProblems.Create(
            http,
            StatusCodes.Status429TooManyRequests,
            GatewayErrorCodes.RateLimited,
            $"Too many requests: the limit is {_limit} per minute (RATE_LIMIT_PER_MIN). Retry in {seconds} s.",
            new Dictionary<string, object?> { ["limit"] = _limit, ["retryAfterSeconds"] = seconds }))
            .ExecuteAsync(http).ConfigureAwait(false);
    }
}
