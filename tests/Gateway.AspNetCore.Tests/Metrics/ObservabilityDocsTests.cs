using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.AspNetCore.Tests.Metrics;

/// <summary>docs/observability/: the recording rules load and compute what they claim, and the dashboard uses only what exists.</summary>
public sealed partial class ObservabilityDocsTests
{
    /// <summary>The families the gateway's packages export; the dashboard may query these directly.</summary>
    private static readonly HashSet<string> GatewayFamilies =
    [
        "gateway_requests_total",
        "gateway_request_duration_seconds_bucket",
        "gateway_request_duration_seconds_sum",
        "gateway_request_duration_seconds_count",
        "gateway_upstream_errors_total",
        "gateway_tokens_total",
        "gateway_time_to_first_token_seconds_bucket",
        "gateway_time_to_first_token_seconds_sum",
        "gateway_time_to_first_token_seconds_count",
        "gateway_active_streams",
        "gateway_rate_limited_total",
        "gateway_rate_limiter_errors_total",
    ];

    private static readonly HashSet<string> PromQLKeywords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"];

    private static string Observability => Path.Combine(RepositoryRoot(), "docs", "observability");

    [Fact]
    public async Task RecordingRules_PassPromtoolCheckRules()
    {
        var (exitCode, output) = await Promtool.RunAsync(null, "check", "rules", Path.Combine(Observability, "recording-rules.yml"));

        Assert.True(exitCode == 0, $"promtool check rules exited {exitCode}:\n{output}");
        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public async Task RecordingRules_PassTheirPromtoolUnitTests()
    {
        var (exitCode, output) = await Promtool.RunAsync(null, "test", "rules", Path.Combine(Observability, "recording-rules.test.yml"));

        Assert.True(exitCode == 0, $"promtool test rules exited {exitCode}:\n{output}");
    }

    [Fact]
    public void Dashboard_EveryQuery_UsesOnlyRecordedSeriesOrGatewayFamilies()
    {
        var recorded = RecordedSeries();
        var (_, expressions) = ReadDashboard();

        Assert.NotEmpty(expressions);
        foreach (var expression in expressions)
        {
            var names = MetricNames(expression).ToList();
            Assert.True(names.Count > 0, $"No series in '{expression}'.");
            foreach (var name in names)
            {
                Assert.True(
                    recorded.Contains(name) || GatewayFamilies.Contains(name),
                    $"'{name}' in '{expression}' is neither recorded by recording-rules.yml nor a gateway family.");
            }
        }
    }

    [Fact]
    public void Dashboard_IsAPrometheusDashboardWithADatasourceVariable()
    {
        var (dashboard, _) = ReadDashboard();
        var root = dashboard.RootElement;

        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        Assert.True(root.GetProperty("schemaVersion").GetInt32() > 30);
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();
        var datasource = Assert.Single(variables, v => v.GetProperty("name").GetString() == "datasource");
        Assert.Equal("datasource", datasource.GetProperty("type").GetString());
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());

        var titles = new List<string>();
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            titles.Add(panel.GetProperty("title").GetString()!);
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                Assert.Equal("${datasource}", target.GetProperty("datasource").GetProperty("uid").GetString());
            }
        }

        Assert.Equal(titles.Count, titles.Distinct().Count());
        foreach (var expected in new[] { "Requests/s", "Error ratio", "Request duration p50 / p95", "Tokens/s", "Time to first token p95", "Active streams", "Rate limited/s", "Upstream errors/s by kind" })
        {
            Assert.Contains(expected, titles);
        }
    }

    [Fact]
    public async Task Dashboard_EveryQuery_IsValidPromQL()
    {
        var (_, expressions) = ReadDashboard();

        // promtool has no offline expression check, but it parses every rule it checks.
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < expressions.Count; i++)
        {
            var expression = GrafanaVariable().Replace(expressions[i], "5m");
            rules.Append($"      - record: dashboard:query_{i}\n        expr: {JsonSerializer.Serialize(expression)}\n");
        }

        var file = Path.Combine(Path.GetTempPath(), $"gateway-dashboard-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        try
        {
            var (exitCode, output) = await Promtool.RunAsync(null, "check", "rules", file);
            Assert.True(exitCode == 0, $"promtool check rules on the dashboard's queries exited {exitCode}:\n{output}\n{rules}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (JsonDocument Dashboard, List<string> Expressions) ReadDashboard()
    {
        var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Observability, "grafana-dashboard.json")));
        var expressions = new List<string>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                expressions.Add(target.GetProperty("expr").GetString()!);
            }
        }

        foreach (var variable in dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.TryGetProperty("definition", out var definition) && definition.GetString() is { Length: > 0 } query)
            {
                // label_values(series, label) names a series like any query.
                expressions.Add(LabelValues().Replace(query, "$1"));
            }
        }

        return (dashboard, expressions);
    }

    private static HashSet<string> RecordedSeries() =>
        RecordLine().Matches(File.ReadAllText(Path.Combine(Observability, "recording-rules.yml")))
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The series names in a PromQL expression: identifiers outside label matchers, ranges, groupings and strings that are not functions or keywords.</summary>
    private static IEnumerable<string> MetricNames(string expression)
    {
        var stripped = Strings().Replace(expression, " ");
        stripped = Braces().Replace(stripped, " ");
        stripped = Brackets().Replace(stripped, " ");
        stripped = Groupings().Replace(stripped, " ");
        foreach (Match match in Identifier().Matches(stripped))
        {
            var name = match.Groups[1].Value;
            if (!match.Groups[2].Success && !PromQLKeywords.Contains(name))
            {
                yield return name;
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Gateway.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Gateway.slnx above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^\s*-?\s*record:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex RecordLine();

    [GeneratedRegex(@"\$\{?__[a-z_]+\}?")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"^label_values\((.+),\s*[a-zA-Z_]+\)$")]
    private static partial Regex LabelValues();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?")]
    private static partial Regex Identifier();
}
