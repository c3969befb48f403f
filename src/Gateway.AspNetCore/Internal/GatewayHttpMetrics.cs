using System.Diagnostics.Metrics;

namespace Gateway.AspNetCore.Internal;

/// <summary>The instruments of the <c>Gateway.AspNetCore</c> meter.</summary>
internal sealed class GatewayHttpMetrics
{
    /// <summary>The meter's name, the package's name.</summary>
    public const string MeterName = "Gateway.AspNetCore";

    public GatewayHttpMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        RateLimited = meter.CreateCounter<long>("gateway.rate_limited", "{request}", "Requests refused with 429 because the caller was over RATE_LIMIT_PER_MIN.");
    }

    /// <summary><c>gateway_rate_limited_total</c>.</summary>
    public Counter<long> RateLimited { get; }
}
