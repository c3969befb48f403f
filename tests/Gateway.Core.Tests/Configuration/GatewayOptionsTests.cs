using Gateway.Core.Configuration;
using Gateway.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Configuration;

public sealed class GatewayOptionsTests
{
    [Fact]
    public void EnvironmentForm_RouteWithApiKeyVariable_IsParsedAndResolved()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_GPT_Mini", "openai | https://api.example.com/v1 | gpt-4o-mini | env:EXAMPLE_KEY"),
            ("EXAMPLE_KEY", "sk-123"),
            ("DEFAULT_MODEL_KEY", "gpt_mini"),
            ("ALLOWED_MODELS", "gpt-4o-mini, llama3"));

        var routes = services.GetRequiredService<RouteTable>();

        var route = Assert.Single(routes.Routes);
        Assert.Equal("gpt_mini", route.Key.Value);
        Assert.Equal("openai", route.Provider);
        Assert.Equal("https://api.example.com/v1", route.Endpoint);
        Assert.Equal("gpt-4o-mini", route.Model);
        Assert.Equal("sk-123", route.ApiKey);
        Assert.Same(route, routes.Default);
        Assert.Equal(["gpt-4o-mini", "llama3"], routes.AllowedModels);
    }

    [Fact]
    public void AppSettingsForm_IsBoundAndEnvironmentWins()
    {
        using var services = GatewayServices.Build(
            ("Gateway:Routes:local:Provider", "ollama"),
            ("Gateway:Routes:local:BaseUrl", "http://127.0.0.1:11434"),
            ("Gateway:Routes:local:Model", "llama3.2"),
            ("Gateway:DefaultModelKey", "local"),
            ("Gateway:TotalTimeoutSeconds", "60"),
            ("Gateway:ConnectTimeoutSeconds", "20"),
            ("CONNECT_TIMEOUT_SECONDS", "5"));

        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var route = Assert.Single(services.GetRequiredService<RouteTable>().Routes);

        Assert.Equal("local", route.Key.Value);
        Assert.Equal("ollama", route.Provider);
        Assert.Equal(60, options.TotalTimeoutSeconds);
        Assert.Equal(5, options.ConnectTimeoutSeconds);
    }

    [Fact]
    public void EnvironmentForm_RouteVariable_ReplacesWhereTheRoutePointsAndKeepsItsMetadata()
    {
        using var services = GatewayServices.Build(
            ("Gateway:Routes:local:Provider", "openai"),
            ("Gateway:Routes:local:BaseUrl", "http://127.0.0.1:8000/v1"),
            ("Gateway:Routes:local:Model", "qwen"),
            ("Gateway:Routes:local:ApiKey", "sk-section"),
            ("Gateway:Routes:local:Quantization", "AWQ"),
            ("Gateway:AllowedModels:0", "qwen"),
            ("Gateway:AllowedModels:1", "other"),
            ("MODEL_ROUTE_LOCAL", "ollama|http://127.0.0.1:11434|llama3.2"),
            ("ALLOWED_MODELS", "llama3.2"));

        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var route = Assert.Single(options.Routes).Value;

        Assert.Equal("ollama", route.Provider);
        Assert.Equal("llama3.2", route.Model);
        Assert.Null(route.ApiKey);
        Assert.Equal("AWQ", route.Quantization);
        Assert.Equal(["llama3.2"], options.AllowedModels);
    }

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        using var services = GatewayServices.Build();

        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;

        Assert.Equal(10, options.ConnectTimeoutSeconds);
        Assert.Equal(120, options.ReadTimeoutSeconds);
        Assert.Equal(30, options.WriteTimeoutSeconds);
        Assert.Equal(600, options.TotalTimeoutSeconds);
        Assert.Empty(services.GetRequiredService<RouteTable>().Routes);
    }

    [Fact]
    public void Validation_BadValues_ReportsEveryProblemNamingTheSetting()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_BROKEN", "openai|http://x"),
            ("MODEL_ROUTE_UNKNOWN", "magic|http://127.0.0.1|m"),
            ("MODEL_ROUTE_BADURL", "ollama|not a url|m"),
            ("MODEL_ROUTE_NOKEY", "openai|http://127.0.0.1/v1|m|env:MISSING_VARIABLE"),
            ("MODEL_ROUTE_BADSUFFIX", "openai|http://127.0.0.1/v1|m|key:abc"),
            ("DEFAULT_MODEL_KEY", "nowhere"),
            ("CONNECT_TIMEOUT_SECONDS", "often"),
            ("TOTAL_TIMEOUT_SECONDS", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GatewayOptions>>().Value);
        var failures = error.Failures.ToList();

        Assert.Contains(failures, f => f.StartsWith("MODEL_ROUTE_BROKEN:", StringComparison.Ordinal) && f.Contains("<provider>|"));
        Assert.Contains(failures, f => f.Contains("'UNKNOWN'", StringComparison.Ordinal) && f.Contains("unknown provider 'magic'") && f.Contains("ollama, openai"));
        Assert.Contains(failures, f => f.Contains("'BADURL'", StringComparison.Ordinal) && f.Contains("not an absolute http"));
        Assert.Contains(failures, f => f.Contains("MISSING_VARIABLE", StringComparison.Ordinal) && f.Contains("is not set"));
        Assert.Contains(failures, f => f.StartsWith("MODEL_ROUTE_BADSUFFIX:", StringComparison.Ordinal) && f.Contains("env:<API_KEY_VAR>"));
        Assert.Contains(failures, f => f.StartsWith("DEFAULT_MODEL_KEY:", StringComparison.Ordinal) && f.Contains("nowhere"));
        Assert.Contains(failures, f => f.StartsWith("CONNECT_TIMEOUT_SECONDS:", StringComparison.Ordinal) && f.Contains("'often'"));
        Assert.Contains(failures, f => f.StartsWith("TOTAL_TIMEOUT_SECONDS:", StringComparison.Ordinal) && f.Contains("at least 1") && f.Contains("(Gateway:TotalTimeoutSeconds)"));
    }

    [Fact]
    public void Validation_WrongTypeInAppSettings_IsReportedNotThrown()
    {
        using var services = GatewayServices.Build(("Gateway:ConnectTimeoutSeconds", "abc"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GatewayOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Gateway section:", StringComparison.Ordinal) && f.Contains("ConnectTimeoutSeconds"));
    }

    [Fact]
    public void Validation_RouteKeyWithIllegalCharacters_IsRejected()
    {
        using var services = GatewayServices.Build(
            ("Gateway:Routes:bad key!:Provider", "openai"),
            ("Gateway:Routes:bad key!:BaseUrl", "http://127.0.0.1/v1"),
            ("Gateway:Routes:bad key!:Model", "m"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<RouteTable>());

        Assert.Contains(error.Failures, f => f.Contains("'bad key!'", StringComparison.Ordinal) && f.Contains("letters, digits"));
    }

    [Fact]
    public void ModelMetadataSettings_BothForms_AreReadWithDocumentedDefaults()
    {
        using var defaults = GatewayServices.Build();
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_LOCAL", "ollama|http://127.0.0.1:11434|llama3.2"),
            ("MODEL_CAPABILITIES_LOCAL", "chat, Streaming ,tools"),
            ("Gateway:Routes:gpt:Provider", "openai"),
            ("Gateway:Routes:gpt:BaseUrl", "http://127.0.0.1:8000/v1"),
            ("Gateway:Routes:gpt:Model", "qwen"),
            ("Gateway:Routes:gpt:Capabilities:0", "vision"),
            ("Gateway:Routes:gpt:Quantization", "AWQ"),
            ("Gateway:Routes:gpt:ContextLength", "32768"),
            ("MODEL_METADATA_REFRESH_SECONDS", "60"),
            ("MODEL_LATENCY_WINDOW_SECONDS", "120"),
            ("MODEL_LATENCY_MAX_SAMPLES", "64"));

        var fallback = defaults.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;

        Assert.Equal(300, fallback.ModelMetadataRefreshSeconds);
        Assert.Equal(300, fallback.ModelLatencyWindowSeconds);
        Assert.Equal(1024, fallback.ModelLatencyMaxSamples);
        Assert.Equal(["chat", "Streaming", "tools"], options.Routes["local"].Capabilities);
        Assert.Equal(["vision"], options.Routes["gpt"].Capabilities);
        Assert.Equal("AWQ", options.Routes["gpt"].Quantization);
        Assert.Equal(32768, options.Routes["gpt"].ContextLength);
        Assert.Equal(60, options.ModelMetadataRefreshSeconds);
        Assert.Equal(120, options.ModelLatencyWindowSeconds);
        Assert.Equal(64, options.ModelLatencyMaxSamples);
    }

    [Fact]
    public void Validation_BadModelMetadataSettings_NameTheSettingAndTheFix()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_LOCAL", "ollama|http://127.0.0.1:11434|llama3.2"),
            ("MODEL_CAPABILITIES_LOCAL", "chat,telepathy"),
            ("MODEL_CAPABILITIES_ELSEWHERE", "chat"),
            ("Gateway:Routes:local:ContextLength", "0"),
            ("MODEL_METADATA_REFRESH_SECONDS", "-1"),
            ("MODEL_LATENCY_WINDOW_SECONDS", "0"),
            ("MODEL_LATENCY_MAX_SAMPLES", "1000000"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GatewayOptions>>().Value);
        var failures = error.Failures.ToList();

        Assert.Contains(failures, f => f.Contains("MODEL_CAPABILITIES_LOCAL", StringComparison.Ordinal) && f.Contains("'telepathy'")
            && f.Contains("chat, streaming, tools, embeddings, vision"));
        Assert.Contains(failures, f => f.StartsWith("MODEL_CAPABILITIES_ELSEWHERE:", StringComparison.Ordinal) && f.Contains("MODEL_ROUTE_ELSEWHERE"));
        Assert.Contains(failures, f => f.Contains("ContextLength", StringComparison.Ordinal) && f.Contains("positive"));
        Assert.Contains(failures, f => f.StartsWith("MODEL_METADATA_REFRESH_SECONDS:", StringComparison.Ordinal) && f.Contains("at least 0"));
        Assert.Contains(failures, f => f.StartsWith("MODEL_LATENCY_WINDOW_SECONDS:", StringComparison.Ordinal) && f.Contains("at least 1"));
        Assert.Contains(failures, f => f.StartsWith("MODEL_LATENCY_MAX_SAMPLES:", StringComparison.Ordinal) && f.Contains("at most 100000"));
    }
}
