using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.AspNetCore.Metrics;

/// <summary>
/// <c>GET /metrics</c> (<c>METRICS_PATH</c>): the gateway's meters in the Prometheus text format. The
/// caller maps it on the authenticated group when <c>METRICS_REQUIRE_KEY</c> is set, else next to
/// <c>/health</c>.
/// </summary>
internal static class MetricsEndpoints
{
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string path)
    {
        var services = endpoints.ServiceProvider;

        // One exporter for the app's lifetime: it has to listen from the start to count anything.
        var exporter = new PrometheusExporter(services.GetService<IMeterFactory>());
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(exporter.Dispose);

        var scrape = new PrometheusScrapeResult(exporter);
        return endpoints.MapGet(path, () => scrape).WithName("Metrics").WithTags("Metrics")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain; version=0.0.4");
    }
}
