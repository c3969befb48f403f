using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// Answers what no endpoint under <c>/v1</c> matches in OpenAI's error envelope, whatever the host's own
/// status code pages do: 404 <c>endpoint_not_found</c> for an unknown path, 405 <c>method_not_allowed</c>
/// with <c>Allow</c> for a known path and another method. A fallback route also takes the requests
/// routing would answer with its bare 405, so it finds the methods the path has itself.
/// </summary>
internal static class OpenAIFallbackEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapFallback("/v1/{**path}", Answer)
            .ExcludeFromDescription()
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.EndpointNotFound)
            .ProducesGatewayError(StatusCodes.Status405MethodNotAllowed, GatewayErrorCodes.MethodNotAllowed);

    private static ProblemHttpResult Answer(HttpContext context, [FromServices] EndpointDataSource endpoints)
    {
        var request = context.Request;
        var methods = MethodsOf(request.Path, endpoints, context.GetEndpoint());
        if (methods.Count == 0)
        {
            return GatewayProblems.Result(GatewayProblems.Create(
                context,
                StatusCodes.Status404NotFound,
                GatewayErrorCodes.EndpointNotFound,
                $"No endpoint answers {request.Method} {request.Path}."));
        }

        var allowed = string.Join(", ", methods);
        context.Response.Headers.Allow = allowed;
        return GatewayProblems.Result(GatewayProblems.Create(
            context,
            StatusCodes.Status405MethodNotAllowed,
            GatewayErrorCodes.MethodNotAllowed,
            $"{request.Path} answers {allowed}, not {request.Method}."));
    }

    /// <summary>The methods of every endpoint whose route matches <paramref name="path"/>, in the order they were mapped.</summary>
    private static List<string> MethodsOf(PathString path, EndpointDataSource endpoints, Endpoint? self)
    {
        var methods = new List<string>();
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint is RouteEndpoint route && endpoint != self
                && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 } metadata
                && new TemplateMatcher(new RouteTemplate(route.RoutePattern), new RouteValueDictionary(route.RoutePattern.Defaults)).TryMatch(path, new RouteValueDictionary()))
            {
                methods.AddRange(metadata.HttpMethods.Except(methods, StringComparer.OrdinalIgnoreCase));
            }
        }

        return methods;
    }
}
