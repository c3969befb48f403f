using Microsoft.AspNetCore.Http;

namespace Gateway.AspNetCore.Metrics;

/// <summary>The answer to a scrape: the exporter's families written straight into the response body.</summary>
internal sealed class PrometheusScrapeResult(PrometheusExporter exporter) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = PrometheusExporter.ContentType;
        response.Headers.CacheControl = "no-store";
        exporter.WriteTo(response.BodyWriter);
        return response.BodyWriter.FlushAsync(httpContext.RequestAborted).AsTask();
    }
}
