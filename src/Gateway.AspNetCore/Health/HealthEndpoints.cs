using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Gateway.AspNetCore.Health;

/// <summary><c>GET /health</c>: 200 once the application has started, 503 before and while stopping. No authentication.</summary>
internal static class HealthEndpoints
{
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/health", Check).WithName("Health").WithTags("Health")
            .ProducesGatewayError(StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.NotReady);

    private static Results<ContentHttpResult, ProblemHttpResult> Check(HttpContext context, [FromServices] IHostApplicationLifetime lifetime)
    {
        var ready = lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested;
        return ready
            ? TypedResults.Text("""{"status":"ready"}""", "application/json")
            : GatewayProblems.Result(GatewayProblems.Create(
                context, StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.NotReady, "The gateway is starting or stopping."));
    }
}
