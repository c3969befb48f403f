using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Gateway.AspNetCore.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.AspNetCore.Tests.Metrics;

public sealed class PrometheusExporterTests : IDisposable
{
    // Meters from this test's own factory: exporters of other tests running at the same time ignore them.
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PrometheusExporter _exporter;
    private readonly Meter _meter;

    public PrometheusExporterTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _exporter = new PrometheusExporter(factory);
        _meter = factory.Create("Gateway.Tests");
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _services.Dispose();
    }

    [Theory]
    [InlineData("gateway.requests", "{request}", true, "gateway_requests_total")]
    [InlineData("gateway.request.duration", "s", false, "gateway_request_duration_seconds")]
    [InlineData("gateway.time_to_first_token", "s", false, "gateway_time_to_first_token_seconds")]
    [InlineData("gateway.active_streams", "{stream}", false, "gateway_active_streams")]
    [InlineData("gateway.rate_limiter.errors", "{error}", true, "gateway_rate_limiter_errors_total")]
    [InlineData("gateway.queue.wait", "s", true, "gateway_queue_wait_seconds_total")]
    [InlineData("gateway.retries_total", null, true, "gateway_retries_total")]
    [InlineData("gateway.body.size", "By", false, "gateway_body_size_bytes")]
    [InlineData("gateway.latency_seconds", "s", false, "gateway_latency_seconds")]
    [InlineData("gateway.ratio", "1", false, "gateway_ratio")]
    [InlineData("gateway-x.2", "{request}/s", false, "gateway_x_2_per_s")]
    public void MetricName_FromInstrument_FollowsPrometheusConventions(string instrument, string? unit, bool counter, string expected)
    {
        Assert.Equal(expected, PrometheusNames.MetricName(instrument, unit, counter));
    }

    [Fact]
    public void Write_CounterAndUpDownCounter_AreCounterAndGaugeWithHelp()
    {
        var requests = _meter.CreateCounter<long>("gateway.requests", "{request}", "Chat requests served.");
        var streams = _meter.CreateUpDownCounter<long>("gateway.active_streams", "{stream}", "Open streams.");

        requests.Add(2, new KeyValuePair<string, object?>("model_key", "main"));
        streams.Add(1);
        streams.Add(1);
        streams.Add(-1);

        var text = Scrape();
        Assert.Contains("# HELP gateway_requests_total Chat requests served.\n# TYPE gateway_requests_total counter\ngateway_requests_total{model_key=\"main\"} 2\n", text);
        Assert.Contains("# HELP gateway_active_streams Open streams.\n# TYPE gateway_active_streams gauge\ngateway_active_streams 1\n", text);
    }

    [Fact]
    public void Write_TagsInAnyOrder_AreOneSeriesWithSortedLabels()
    {
        var counter = _meter.CreateCounter<long>("gateway.requests", "{request}", "Requests.");

        counter.Add(1, new("status", "ok"), new("model_key", "main"), new("provider", "openai"));
        counter.Add(2, new("provider", "openai"), new("status", "ok"), new("model_key", "main"));
        counter.Add(4, new TagList { { "model_key", "main" }, { "status", "ok" }, { "provider", "openai" } });

        var samples = PrometheusScrape.Parse(Scrape()).Samples;
        var sample = Assert.Single(samples);
        Assert.Equal(7, sample.Value);
        Assert.Contains("gateway_requests_total{model_key=\"main\",provider=\"openai\",status=\"ok\"} 7\n", Scrape());
    }

    [Fact]
    public void Write_LabelValues_AreEscaped()
    {
        var counter = _meter.CreateCounter<long>("gateway.requests", "{request}", "Requests.");

        counter.Add(1, new KeyValuePair<string, object?>("model_key", "a\\b\"c\nd"), new KeyValuePair<string, object?>("odd.key", 42));

        var text = Scrape();
        Assert.Contains("gateway_requests_total{model_key=\"a\\\\b\\\"c\\nd\",odd_key=\"42\"} 1\n", text);
        Assert.Equal("a\\b\"c\nd", Assert.Single(PrometheusScrape.Parse(text).Samples).Labels["model_key"]);
    }

    [Fact]
    public void Write_HelpText_IsEscapedAndNeverMissing()
    {
        _meter.CreateCounter<long>("gateway.described", "{x}", "Line one\\two\nthree.").Add(1);
        _meter.CreateCounter<long>("gateway.undescribed").Add(1);

        var text = Scrape();
        Assert.Contains("# HELP gateway_described_total Line one\\\\two\\nthree.\n", text);
        Assert.Contains("# HELP gateway_undescribed_total gateway.undescribed of meter Gateway.Tests.\n", text);
    }

    [Fact]
    public void Write_Histogram_UsesAdvisedBucketsCumulatively()
    {
        var histogram = _meter.CreateHistogram(
            "gateway.wait", "s", "Waiting.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1] });

        histogram.Record(0.05);
        histogram.Record(0.1);
        histogram.Record(0.7);
        histogram.Record(3);

        Assert.Contains(
            "# TYPE gateway_wait_seconds histogram\n" +
            "gateway_wait_seconds_bucket{le=\"0.1\"} 2\n" +
            "gateway_wait_seconds_bucket{le=\"0.5\"} 2\n" +
            "gateway_wait_seconds_bucket{le=\"1\"} 3\n" +
            "gateway_wait_seconds_bucket{le=\"+Inf\"} 4\n" +
            "gateway_wait_seconds_sum 3.85\n" +
            "gateway_wait_seconds_count 4\n",
            Scrape());
    }

    [Fact]
    public void Write_HistogramWithoutAdvice_UsesDefaultSecondsBucketsAndLabels()
    {
        var histogram = _meter.CreateHistogram<double>("gateway.wait", "s", "Waiting.");

        histogram.Record(0.2, new KeyValuePair<string, object?>("model_key", "main"));

        var samples = PrometheusScrape.Parse(Scrape()).Samples.Where(s => s.Name == "gateway_wait_seconds_bucket").ToList();
        Assert.Equal(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"], samples.Select(s => s.Labels["le"]));
        Assert.All(samples, s => Assert.Equal("main", s.Labels["model_key"]));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1], samples.Select(s => s.Value));
    }

    [Fact]
    public void Write_FamilyWithoutSeries_IsOnlyHelpAndType()
    {
        _meter.CreateCounter<long>("gateway.rate_limited", "{request}", "Requests refused by the rate limiter.");

        Assert.Equal(
            "# HELP gateway_rate_limited_total Requests refused by the rate limiter.\n# TYPE gateway_rate_limited_total counter\n",
            Scrape());
    }

    [Fact]
    public void Write_FamiliesAreSortedByName()
    {
        _meter.CreateCounter<long>("gateway.zeta").Add(1);
        _meter.CreateCounter<long>("gateway.alpha").Add(1);

        var text = Scrape();
        Assert.True(text.IndexOf("gateway_alpha_total", StringComparison.Ordinal) < text.IndexOf("gateway_zeta_total", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_DoubleCounterAndObservableInstruments_AreExported()
    {
        _meter.CreateCounter<double>("gateway.cost", "{dollar}", "Cost.").Add(0.25);
        _meter.CreateCounter<double>("gateway.cost", "{dollar}", "Cost.").Add(0.5);
        _meter.CreateObservableGauge("gateway.queue.length", () => 5, "{job}", "Queued jobs.");
        _meter.CreateObservableCounter("gateway.evictions", () => new Measurement<long>(12, new KeyValuePair<string, object?>("cache", "a")), "{eviction}", "Evictions.");

        var scrape = PrometheusScrape.Parse(Scrape());
        Assert.Equal(0.75, scrape.Value("gateway_cost_total"));
        Assert.Equal(5, scrape.Value("gateway_queue_length"));
        Assert.Equal("gauge", scrape.Types["gateway_queue_length"]);
        Assert.Equal(12, scrape.Value("gateway_evictions_total", ("cache", "a")));
        Assert.Equal("counter", scrape.Types["gateway_evictions_total"]);

        // An observable counter reports its total, which replaces the last one.
        Assert.Equal(12, PrometheusScrape.Parse(Scrape()).Value("gateway_evictions_total", ("cache", "a")));
    }

    [Fact]
    public void Write_MetersOfOtherAppsAndOtherPackages_AreLeftOut()
    {
        using var otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var otherApp = otherServices.GetRequiredService<IMeterFactory>().Create("Gateway.Tests");
        using var notOurs = _services.GetRequiredService<IMeterFactory>().Create("Microsoft.AspNetCore.Hosting");

        otherApp.CreateCounter<long>("gateway.other_app").Add(1);
        notOurs.CreateCounter<long>("http.server.requests").Add(1);

        Assert.Equal(string.Empty, Scrape());
    }

    [Fact]
    public void Write_AfterDispose_KeepsWhatWasMeasured()
    {
        var counter = _meter.CreateCounter<long>("gateway.requests", "{request}", "Requests.");
        counter.Add(3);

        _exporter.Dispose();
        counter.Add(1);

        Assert.Equal(3, PrometheusScrape.Parse(Scrape()).Value("gateway_requests_total"));
    }

    [Fact]
    public void Record_SeenTagSet_AllocatesNothing()
    {
        var requests = _meter.CreateCounter<long>("gateway.requests", "{request}");
        var tokens = _meter.CreateCounter<long>("gateway.tokens", "{token}");
        var duration = _meter.CreateHistogram<double>("gateway.request.duration", "s");
        var streams = _meter.CreateUpDownCounter<long>("gateway.active_streams", "{stream}");
        var cost = _meter.CreateCounter<double>("gateway.cost", "{dollar}");
        KeyValuePair<string, object?> modelKey = new("model_key", "main"), provider = new("provider", "openai"), input = new("direction", "input");

        void RecordAll()
        {
            var tags = new TagList { modelKey, provider, { "status", "ok" } };
            requests.Add(1, tags);
            duration.Record(0.042, tags);
            tokens.Add(7, modelKey, provider, input);
            streams.Add(1, modelKey, provider);
            streams.Add(-1, modelKey, provider);
            cost.Add(0.01, provider, modelKey);
        }

        RecordAll();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            RecordAll();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(10_001, PrometheusScrape.Parse(Scrape()).Value("gateway_requests_total", ("model_key", "main"), ("provider", "openai"), ("status", "ok")));
    }

    [Fact]
    public async Task Record_FromManyThreads_LosesNothing()
    {
        var counter = _meter.CreateCounter<long>("gateway.requests", "{request}");
        var cost = _meter.CreateCounter<double>("gateway.cost", "{dollar}");
        var histogram = _meter.CreateHistogram<double>("gateway.request.duration", "s");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                KeyValuePair<string, object?> status = new("status", i % 2 == 0 ? "ok" : "cancelled");
                counter.Add(1, status);
                cost.Add(0.5, status);
                histogram.Record(0.1, status);
            }
        })));

        var scrape = PrometheusScrape.Parse(Scrape());
        Assert.Equal(80_000, scrape.Value("gateway_requests_total", ("status", "ok")));
        Assert.Equal(80_000, scrape.Value("gateway_requests_total", ("status", "cancelled")));
        Assert.Equal(80_000, scrape.Sum("gateway_cost_total"));
        Assert.Equal(160_000, scrape.Sum("gateway_request_duration_seconds_count"));
    }

    private string Scrape()
    {
        var buffer = new ArrayBufferWriter<byte>();
        _exporter.WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
