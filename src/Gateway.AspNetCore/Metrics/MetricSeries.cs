namespace Gateway.AspNetCore.Metrics;

/// <summary>One series of a family: the values of one tag set.</summary>
internal abstract class MetricSeries(LabelSet labels)
{
    public LabelSet Labels { get; } = labels;
}
