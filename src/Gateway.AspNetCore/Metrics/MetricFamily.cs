using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Gateway.AspNetCore.Metrics;

/// <summary>
/// One Prometheus metric family: its <c># HELP</c> and <c># TYPE</c> lines and its series. It is the
/// state a <see cref="System.Diagnostics.Metrics.MeterListener"/> hands back with every measurement.
/// </summary>
internal abstract class MetricFamily
{
    private readonly byte[] _header;

    protected MetricFamily(string name, string help, string type)
    {
        Name = name;
        Type = type;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        _header = Encoding.UTF8.GetBytes($"# HELP {name} {PrometheusText.EscapeHelp(help)}\n# TYPE {name} {type}\n");
    }

    public string Name { get; }

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Type { get; }

    protected byte[] NameUtf8 { get; }

    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Whether an instrument of <paramref name="kind"/> can share this family's name.</summary>
    public abstract bool Accepts(InstrumentKind kind);

    /// <summary>Writes the family. A family without series yet is only its HELP and TYPE lines, which promtool accepts.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        output.Write(_header);
        WriteSeries(output);
    }

    protected abstract void WriteSeries(IBufferWriter<byte> output);

    /// <summary>Writes <c>name{labels}</c> or <c>name</c> followed by a space.</summary>
    protected static void WriteSampleName(IBufferWriter<byte> output, ReadOnlySpan<byte> name, LabelSet labels)
    {
        output.Write(name);
        if (labels.Text.Length > 0)
        {
            output.Write("{"u8);
            output.Write(labels.Text);
            output.Write("}"u8);
        }

        output.Write(" "u8);
    }
}

/// <summary>A family whose series are looked up by tag set without allocating once a set has been seen.</summary>
internal abstract class MetricFamily<TSeries>(string name, string help, string type) : MetricFamily(name, help, type)
    where TSeries : MetricSeries
{
    private readonly Lock _addLock = new();

    // Reads are lock-free: the dictionary for lookups, a copy-on-write array for scrapes.
    private readonly ConcurrentDictionary<int, TSeries[]> _byHash = new();
    private TSeries[] _series = [];

    protected ReadOnlySpan<TSeries> AllSeries => Volatile.Read(ref _series);

    protected TSeries GetSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = LabelSet.Hash(tags);
        if (_byHash.TryGetValue(hash, out var candidates))
        {
            foreach (var candidate in candidates)
            {
                if (candidate.Labels.Matches(tags))
                {
                    return candidate;
                }
            }
        }

        return AddSeries(hash, tags);
    }

    protected abstract TSeries CreateSeries(LabelSet labels);

    private TSeries AddSeries(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_addLock)
        {
            // Another thread may have added it between the lookup and the lock.
            _byHash.TryGetValue(hash, out var candidates);
            foreach (var candidate in candidates ?? [])
            {
                if (candidate.Labels.Matches(tags))
                {
                    return candidate;
                }
            }

            var series = CreateSeries(new LabelSet(tags));
            _byHash[hash] = [.. candidates ?? [], series];
            Volatile.Write(ref _series, [.. _series, series]);
            return series;
        }
    }
}
