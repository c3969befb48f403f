using System.Diagnostics;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.AspNetCore.Internal;

/// <summary>Turns gateway errors into RFC 9457 problem details with a stable <c>errorCode</c>.</summary>
internal static class GatewayProblems
{
    public static int StatusCodeOf(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest => StatusCodes.Status400BadRequest,
        GatewayErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        GatewayErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        GatewayErrorKind.NotFound => StatusCodes.Status404NotFound,
        GatewayErrorKind.Conflict => StatusCodes.Status409Conflict,
        GatewayErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        GatewayErrorKind.UpstreamFailure => StatusCodes.Status502BadGateway,
        GatewayErrorKind.UpstreamTimeout => StatusCodes.Status504GatewayTimeout,
        GatewayErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemDetails Create(HttpContext context, GatewayException error)
    {
        var detail = error.Message;
        var extensions = error.Extensions;
        if (extensions.TryGetValue("field", out var value) && value is string field
            && context.GetEndpoint()?.Metadata.GetMetadata<IRequestFieldNames>() is { } names
            && names.Rename(field) is var renamed && renamed != field)
        {
            // InvalidField writes "<field>: <problem>"; the detail names the endpoint's field too.
            detail = detail.StartsWith(field + ":", StringComparison.Ordinal) ? renamed + detail[field.Length..] : detail;
            extensions = new Dictionary<string, object?>(extensions) { ["field"] = renamed };
        }

        return Create(context, StatusCodeOf(error.Kind), error.ErrorCode, detail, extensions);
    }

    public static ProblemDetails Create(
        HttpContext context, int status, string errorCode, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            // A URN rather than a URL: it names the error kind stably without promising a web page.
            Type = "urn:gateway:error:" + errorCode,
            Title = TitleOf(status),
            Status = status,
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["errorCode"] = errorCode;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        if (OpenAIErrorShape.Applies(context))
        {
            // OpenAI clients read {"error":{...}}; the problem members stay for everyone else.
            OpenAIErrorShape.AddTo(problem, errorCode);
        }

        return problem;
    }

    public static ProblemHttpResult Result(ProblemDetails problem) =>
        TypedResults.Problem(problem);

    public static ProblemHttpResult Result(HttpContext context, GatewayException error) =>
        TypedResults.Problem(Create(context, error));

    private static string TitleOf(int status) => status switch
    {
        400 => "The request is invalid.",
        401 => "Authentication is required.",
        403 => "The request is not permitted.",
        404 => "Not found.",
        405 => "The method is not allowed here.",
        409 => "The request conflicts with the gateway's configuration.",
        413 => "The request body is too large.",
        429 => "Too many requests.",
        502 => "The upstream model server failed.",
        504 => "The upstream model server timed out.",
        _ => "The gateway failed unexpectedly.",
    };
}
