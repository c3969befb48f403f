using Gateway.Core.Configuration;
using Gateway.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Routing;

/// <summary>Several deployments per route and fallbacks, in both configuration forms, and what start-up says about mistakes.</summary>
public sealed class RouteDeploymentsConfigurationTests
{
    private static IReadOnlyList<string> Failures(ServiceProvider services) =>
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GatewayOptions>>().Value).Failures.ToList();

    [Fact]
    public void EnvironmentForm_SeveralValues_AreTheRoutesDeploymentsInOrder()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_MAIN", "openai|http://10.0.0.1:8000/v1|qwen|env:KEY_ONE ; ollama|http://10.0.0.2:11434|qwen2.5"),
            ("KEY_ONE", "sk-one"));

        var route = Assert.Single(services.GetRequiredService<RouteTable>().Routes);

        Assert.Collection(
            route.Deployments,
            first => Assert.Equal(new ModelDeployment(0, "openai", "http://10.0.0.1:8000/v1", "qwen", "sk-one"), first),
            second => Assert.Equal(new ModelDeployment(1, "ollama", "http://10.0.0.2:11434", "qwen2.5", null), second));
        Assert.Equal(("openai", "http://10.0.0.1:8000/v1", "qwen"), (route.Provider, route.Endpoint, route.Model));
        Assert.DoesNotContain("sk-one", route.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentForm_OneValue_IsOneDeploymentAsBefore()
    {
        using var services = GatewayServices.Build(("MODEL_ROUTE_MAIN", "ollama|http://127.0.0.1:11434|llama3.2"));

        var route = Assert.Single(services.GetRequiredService<RouteTable>().Routes);

        var deployment = Assert.Single(route.Deployments);
        Assert.Equal(new ModelDeployment(0, "ollama", "http://127.0.0.1:11434", "llama3.2", null), deployment);
        Assert.Empty(route.Fallbacks);
    }

    [Fact]
    public void AppSettingsForm_DeploymentsList_IsBoundAndTheEnvironmentReplacesIt()
    {
        (string, string)[] section =
        [
            ("Gateway:Routes:main:Deployments:0:Provider", "openai"),
            ("Gateway:Routes:main:Deployments:0:BaseUrl", "http://10.0.0.1:8000/v1"),
            ("Gateway:Routes:main:Deployments:0:Model", "qwen"),
            ("Gateway:Routes:main:Deployments:0:ApiKeyVariable", "KEY_ONE"),
            ("Gateway:Routes:main:Deployments:1:Provider", "openai"),
            ("Gateway:Routes:main:Deployments:1:BaseUrl", "http://10.0.0.2:8000/v1"),
            ("Gateway:Routes:main:Deployments:1:Model", "qwen"),
            ("Gateway:Routes:main:Quantization", "AWQ"),
            ("KEY_ONE", "sk-one"),
        ];
        using var fromSection = GatewayServices.Build(section);
        using var replaced = GatewayServices.Build([.. section, ("MODEL_ROUTE_MAIN", "ollama|http://10.0.0.3:11434|qwen2.5")]);

        var both = Assert.Single(fromSection.GetRequiredService<RouteTable>().Routes);
        Assert.Equal(["http://10.0.0.1:8000/v1", "http://10.0.0.2:8000/v1"], both.Deployments.Select(d => d.Endpoint));
        Assert.Equal("sk-one", both.Deployments[0].ApiKey);
        var one = Assert.Single(Assert.Single(replaced.GetRequiredService<RouteTable>().Routes).Deployments);
        Assert.Equal("http://10.0.0.3:11434", one.Endpoint);
        Assert.Equal("AWQ", replaced.GetRequiredService<IOptions<GatewayOptions>>().Value.Routes["main"].Quantization);
    }

    [Fact]
    public void Fallbacks_BothForms_AreTheRoutesInOrderAndTheEnvironmentWins()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_MAIN", "openai|http://10.0.0.1/v1|a"),
            ("MODEL_ROUTE_SECOND", "openai|http://10.0.0.2/v1|b"),
            ("MODEL_ROUTE_THIRD", "openai|http://10.0.0.3/v1|c"),
            ("Gateway:Routes:main:Fallbacks:0", "second"),
            ("Gateway:Routes:second:Fallbacks:0", "third"),
            ("MODEL_FALLBACKS_SECOND", "Third, main"));

        var routes = services.GetRequiredService<RouteTable>();

        routes.TryGet(Key("main"), out var main);
        routes.TryGet(Key("second"), out var second);
        Assert.Equal([Key("second")], main!.Fallbacks);
        Assert.Equal([Key("third"), Key("main")], second!.Fallbacks);
    }

    [Fact]
    public void Defaults_FailureThresholdAndCoolDown_AreTheDocumentedOnesAndBothFormsSetThem()
    {
        using var defaults = GatewayServices.Build();
        using var set = GatewayServices.Build(("DEPLOYMENT_FAILURE_THRESHOLD", "5"), ("Gateway:DeploymentCooldownSeconds", "90"));

        var options = defaults.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var changed = set.GetRequiredService<IOptions<GatewayOptions>>().Value;

        Assert.Equal((3, 30), (options.DeploymentFailureThreshold, options.DeploymentCooldownSeconds));
        Assert.Equal((5, 90), (changed.DeploymentFailureThreshold, changed.DeploymentCooldownSeconds));
    }

    [Fact]
    public void Validation_BadDeployment_NamesTheDeploymentAndWhereItCameFrom()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_ENV", "openai|http://10.0.0.1/v1|m;openai|http://10.0.0.2/v1"),
            ("Gateway:Routes:section:Deployments:0:Provider", "openai"),
            ("Gateway:Routes:section:Deployments:0:BaseUrl", "http://10.0.0.1/v1"),
            ("Gateway:Routes:section:Deployments:0:Model", "m"),
            ("Gateway:Routes:section:Deployments:1:Provider", "magic"),
            ("Gateway:Routes:section:Deployments:1:BaseUrl", "http://10.0.0.2/v1"),
            ("Gateway:Routes:section:Deployments:1:Model", "m"),
            ("Gateway:Routes:badurl:Deployments:0:Provider", "ollama"),
            ("Gateway:Routes:badurl:Deployments:0:BaseUrl", "http://10.0.0.1:11434"),
            ("Gateway:Routes:badurl:Deployments:0:Model", "m"),
            ("Gateway:Routes:badurl:Deployments:1:Provider", "ollama"),
            ("Gateway:Routes:badurl:Deployments:1:BaseUrl", "not a url"),
            ("Gateway:Routes:badurl:Deployments:1:Model", "m"),
            ("Gateway:Routes:both:Provider", "openai"),
            ("Gateway:Routes:both:BaseUrl", "http://10.0.0.1/v1"),
            ("Gateway:Routes:both:Model", "m"),
            ("Gateway:Routes:both:Deployments:0:Provider", "openai"),
            ("Gateway:Routes:both:Deployments:0:BaseUrl", "http://10.0.0.2/v1"),
            ("Gateway:Routes:both:Deployments:0:Model", "m"),
            ("DEPLOYMENT_FAILURE_THRESHOLD", "1"));

        var failures = Failures(services);

        Assert.Contains(failures, f => f.StartsWith("MODEL_ROUTE_ENV, deployment 2 of 2:", StringComparison.Ordinal) && f.Contains("<provider>|"));
        Assert.Contains(failures, f => f.Contains("Route 'section' deployment 2 of 2", StringComparison.Ordinal)
            && f.Contains("Gateway:Routes:section:Deployments:1") && f.Contains("unknown provider 'magic'"));
        Assert.Contains(failures, f => f.Contains("Route 'badurl' deployment 2 of 2", StringComparison.Ordinal) && f.Contains("not an absolute http"));
        Assert.Contains(failures, f => f.Contains("Route 'both'", StringComparison.Ordinal) && f.Contains("not both"));
        Assert.Contains(failures, f => f.StartsWith("DEPLOYMENT_FAILURE_THRESHOLD:", StringComparison.Ordinal) && f.Contains("at least 2"));
    }

    [Fact]
    public void Validation_FallbackToUnknownRouteOrItself_StopsStartUpNamingIt()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_MAIN", "openai|http://10.0.0.1/v1|a"),
            ("MODEL_ROUTE_OTHER", "openai|http://10.0.0.2/v1|b"),
            ("MODEL_FALLBACKS_MAIN", "nowhere"),
            ("MODEL_FALLBACKS_OTHER", "other"),
            ("MODEL_FALLBACKS_GHOST", "main"));

        var failures = Failures(services);

        Assert.Contains(failures, f => f.StartsWith("Route 'main' fallbacks (MODEL_FALLBACKS_MAIN", StringComparison.Ordinal)
            && f.Contains("'nowhere' names no route") && f.Contains("main, other"));
        Assert.Contains(failures, f => f.StartsWith("Route 'other' fallbacks", StringComparison.Ordinal) && f.Contains("cannot fall back to itself"));
        Assert.Contains(failures, f => f.StartsWith("MODEL_FALLBACKS_GHOST:", StringComparison.Ordinal) && f.Contains("no route has the key 'GHOST'"));
    }

    [Fact]
    public void Validation_FallbackToADisallowedModel_StopsStartUp()
    {
        using var services = GatewayServices.Build(
            ("MODEL_ROUTE_MAIN", "openai|http://10.0.0.1/v1|a"),
            ("MODEL_ROUTE_OTHER", "openai|http://10.0.0.2/v1|b"),
            ("MODEL_FALLBACKS_MAIN", "other"),
            ("ALLOWED_MODELS", "a"));

        Assert.Contains(Failures(services), f => f.StartsWith("Route 'main' fallbacks", StringComparison.Ordinal) && f.Contains("ALLOWED_MODELS"));
    }

    private static RouteKey Key(string text) => RouteKey.TryParse(text, out var key) ? key : throw new ArgumentException(text);
}
