using System.Diagnostics.Metrics;

namespace Gateway.AspNetCore.Metrics;

/// <summary>The kinds of <see cref="Instrument"/> the Prometheus exporter understands.</summary>
internal enum InstrumentKind
{
    Unsupported,

    /// <summary><see cref="Counter{T}"/>: deltas, a Prometheus counter.</summary>
    Counter,

    /// <summary><see cref="UpDownCounter{T}"/>: deltas, a Prometheus gauge.</summary>
    UpDownCounter,

    /// <summary><see cref="Gauge{T}"/>: the current value, a Prometheus gauge.</summary>
    Gauge,

    /// <summary><see cref="Histogram{T}"/>: a Prometheus histogram.</summary>
    Histogram,

    /// <summary><see cref="ObservableCounter{T}"/>: the running total, read at scrape time; a Prometheus counter.</summary>
    ObservableCounter,

    /// <summary><see cref="ObservableUpDownCounter{T}"/>: the running total, read at scrape time; a Prometheus gauge.</summary>
    ObservableUpDownCounter,

    /// <summary><see cref="ObservableGauge{T}"/>: the current value, read at scrape time; a Prometheus gauge.</summary>
    ObservableGauge,
}
