using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Configuration;

/// <summary>A package of its own reads its options the way the gateway's packages do.</summary>
public sealed class GatewayEnvironmentMapTests
{
    private static readonly GatewayEnvironmentMap Map = new GatewayEnvironmentMap()
        .Number("SAMPLE_LIMIT", "Gateway:Sample:Limit")
        .Flag("SAMPLE_ON", "Gateway:Sample:On")
        .List("SAMPLE_NAMES", "Gateway:Sample:Names")
        .Prefix("SAMPLE_FOLDER_", "Gateway:Sample:Folders", "folder")
        .OneOf("SAMPLE_MODE", "Gateway:Sample:Mode", "fast", "safe")
        .Text("SAMPLE_TITLE", "Gateway:Sample:Title")
        .Copy("Gateway:Sample:Title", "Gateway:Sample:Heading");

    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());
        services.AddGateway().MapEnvironmentVariables(Map).MapEnvironmentVariables(Map);
        services.AddOptions<SampleOptions>().BindGatewayConfiguration("Gateway:Sample").BindGatewayConfiguration("Gateway:Sample");
        services.Configure<SampleOptions>(options => options.Names.Add("from-code"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Variables_WinOverTheSection_AndCodeComesLast()
    {
        using var services = Build(
            ("Gateway:Sample:Limit", "1"),
            ("Gateway:Sample:Names:0", "a"),
            ("Gateway:Sample:Names:1", "b"),
            ("Gateway:Sample:Names:2", "c"),
            ("Gateway:Sample:Folders:kept", "/k"),
            ("SAMPLE_LIMIT", " 42 "),
            ("SAMPLE_ON", "YES"),
            ("SAMPLE_NAMES", "x, y"),
            ("SAMPLE_FOLDER_MINE", " /m "),
            ("SAMPLE_MODE", "Safe"),
            ("SAMPLE_TITLE", "hello"));

        var options = services.GetRequiredService<IOptions<SampleOptions>>().Value;

        Assert.Equal(42, options.Limit);
        Assert.True(options.On);
        Assert.Equal(["x", "y", "from-code"], options.Names);
        Assert.Equal("/k", options.Folders["kept"]);
        Assert.Equal("/m", options.Folders["MINE"]);
        Assert.Equal("safe", options.Mode);
        Assert.Equal("hello", options.Heading);
    }

    [Fact]
    public void EmptyVariables_LeaveTheSection_ButAnEmptyListVariableEmptiesTheList()
    {
        using var services = Build(
            ("Gateway:Sample:Limit", "7"),
            ("Gateway:Sample:Names:0", "a"),
            ("SAMPLE_LIMIT", ""),
            ("SAMPLE_NAMES", ""));

        var options = services.GetRequiredService<IOptions<SampleOptions>>().Value;

        Assert.Equal(7, options.Limit);
        Assert.Equal(["from-code"], options.Names);
    }

    [Fact]
    public void Problems_AreReportedTogether_NamingTheVariableOrTheKey()
    {
        using var services = Build(
            ("SAMPLE_LIMIT", "lots"),
            ("SAMPLE_ON", "maybe"),
            ("SAMPLE_FOLDER_", "/x"),
            ("SAMPLE_MODE", "reckless"),
            ("Gateway:Sample:Count", "many"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SampleOptions>>().Value);

        Assert.Contains(error.Failures, f => f == "SAMPLE_LIMIT: expected a whole number, got 'lots'.");
        Assert.Contains(error.Failures, f => f == "SAMPLE_ON: expected true or false, got 'maybe'.");
        Assert.Contains(error.Failures, f => f == "SAMPLE_FOLDER_: expected SAMPLE_FOLDER_<NAME>=<folder>, got '/x'.");
        Assert.Contains(error.Failures, f => f == "SAMPLE_MODE: expected fast or safe, got 'reckless'.");
        Assert.Contains(error.Failures, f => f.StartsWith("Gateway:Sample section:", StringComparison.Ordinal) && f.Contains("'Gateway:Sample:Count'"));
        Assert.Equal(5, error.Failures.Count());
    }

    private sealed class SampleOptions
    {
        public int Limit { get; set; }

        public int Count { get; set; }

        public bool On { get; set; }

        public string? Mode { get; set; }

        public string? Heading { get; set; }

        public IList<string> Names { get; } = [];

        public IDictionary<string, string> Folders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }
}
