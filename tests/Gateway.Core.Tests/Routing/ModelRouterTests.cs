using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Tests.Routing;

public sealed class ModelRouterTests
{
    private static ModelRouter Router(params (string, string)[] settings) =>
        GatewayServices.Build(settings).GetRequiredService<ModelRouter>();

    private const string Upstream = "http://127.0.0.1:1/v1";

    [Fact]
    public void Resolve_NamedKey_IgnoresCase()
    {
        var router = Router(("MODEL_ROUTE_A", $"openai|{Upstream}|ma"), ("MODEL_ROUTE_B", $"openai|{Upstream}|mb"));

        Assert.Equal("mb", router.Resolve("B").Model);
    }

    [Fact]
    public void Resolve_NoKey_PrefersDefaultOverOnlyRoute()
    {
        var router = Router(("MODEL_ROUTE_A", $"openai|{Upstream}|ma"), ("MODEL_ROUTE_B", $"openai|{Upstream}|mb"), ("DEFAULT_MODEL_KEY", "a"));

        Assert.Equal("ma", router.Resolve(null).Model);
        Assert.Equal("ma", router.Resolve("  ").Model);
    }

    [Fact]
    public void Resolve_NoKeyOneRoute_UsesIt() =>
        Assert.Equal("ma", Router(("MODEL_ROUTE_A", $"openai|{Upstream}|ma")).Resolve(null).Model);

    [Fact]
    public void Resolve_NoKeySeveralRoutes_ThrowsConflictListingKeys()
    {
        var router = Router(("MODEL_ROUTE_B", $"openai|{Upstream}|mb"), ("MODEL_ROUTE_A", $"openai|{Upstream}|ma"));

        var error = Assert.Throws<GatewayException>(() => router.Resolve(null));

        Assert.Equal(GatewayErrorKind.Conflict, error.Kind);
        Assert.Equal(GatewayErrorCodes.RouteRequired, error.ErrorCode);
        Assert.Equal(new[] { "a", "b" }, error.Extensions["availableKeys"]);
    }

    [Fact]
    public void Resolve_NoRoutes_ThrowsConflictSayingHowToAddOne()
    {
        var error = Assert.Throws<GatewayException>(() => Router().Resolve(null));

        Assert.Equal(GatewayErrorCodes.NoRoutesConfigured, error.ErrorCode);
        Assert.Contains("MODEL_ROUTE_", error.Message);
    }

    [Fact]
    public void Resolve_UnknownKey_ThrowsNotFoundListingKeys()
    {
        var error = Assert.Throws<GatewayException>(() => Router(("MODEL_ROUTE_A", $"openai|{Upstream}|ma")).Resolve("z"));

        Assert.Equal(GatewayErrorKind.NotFound, error.Kind);
        Assert.Equal(new[] { "a" }, error.Extensions["availableKeys"]);
    }

    [Fact]
    public void Resolve_MalformedKey_ThrowsInvalidRequest()
    {
        var error = Assert.Throws<GatewayException>(() => Router(("MODEL_ROUTE_A", $"openai|{Upstream}|ma")).Resolve("a\u0000"));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal("modelKey", error.Extensions["field"]);
    }

    [Fact]
    public void Resolve_DisallowedModel_ThrowsForbiddenNamingAllowedModels()
    {
        var router = Router(("MODEL_ROUTE_A", $"openai|{Upstream}|ma"), ("MODEL_ROUTE_B", $"openai|{Upstream}|mb"), ("ALLOWED_MODELS", "MA"));

        Assert.Equal("ma", router.Resolve("a").Model);
        var error = Assert.Throws<GatewayException>(() => router.Resolve("b"));

        Assert.Equal(GatewayErrorKind.Forbidden, error.Kind);
        Assert.Equal(GatewayErrorCodes.ModelNotAllowed, error.ErrorCode);
        Assert.Equal(new[] { "MA" }, error.Extensions["allowedModels"]);
    }

    [Fact]
    public void Resolve_DefaultRouteDisallowed_ThrowsForbidden()
    {
        var router = Router(("MODEL_ROUTE_A", $"openai|{Upstream}|ma"), ("ALLOWED_MODELS", "other"));

        Assert.Equal(GatewayErrorKind.Forbidden, Assert.Throws<GatewayException>(() => router.Resolve(null)).Kind);
    }

    [Fact]
    public void ResolveModelName_KeyOrUniqueUpstreamModel_Resolves()
    {
        var router = Router(("MODEL_ROUTE_A", $"openai|{Upstream}|org/model-a:latest"), ("MODEL_ROUTE_B", $"ollama|{Upstream}|mb"));

        Assert.Equal("b", router.ResolveModelName("B").Key.Value);
        Assert.Equal("a", router.ResolveModelName("org/model-a:latest").Key.Value);
    }

    [Fact]
    public void ResolveModelName_ModelServedByTwoRoutes_ThrowsConflict()
    {
        var router = Router(("MODEL_ROUTE_A", $"openai|{Upstream}|same"), ("MODEL_ROUTE_B", $"ollama|{Upstream}|same"));

        var error = Assert.Throws<GatewayException>(() => router.ResolveModelName("same"));

        Assert.Equal(GatewayErrorCodes.RouteAmbiguous, error.ErrorCode);
    }

    [Fact]
    public void ResolveModelName_Unknown_ThrowsNotFound() =>
        Assert.Equal(
            GatewayErrorCodes.RouteNotFound,
            Assert.Throws<GatewayException>(() => Router(("MODEL_ROUTE_A", $"openai|{Upstream}|ma")).ResolveModelName("gpt-5")).ErrorCode);
}
