using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.AspNetCore.Internal;

/// <summary>Where and how errors also carry OpenAI's <c>{"error":{...}}</c> member.</summary>
internal static class OpenAIErrorShape
{
    public static bool Applies(HttpContext context) => context.Request.Path.StartsWithSegments("/v1");

    public static string TypeOf(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    /// <summary>Adds the <c>error</c> member to <paramref name="problem"/>, from its own status, detail, errorCode and field.</summary>
    public static void AddTo(ProblemDetails problem, string errorCode)
    {
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        problem.Extensions["error"] = new OpenAIErrorBody(problem.Detail ?? problem.Title ?? string.Empty, TypeOf(status), errorCode, ParamOf(problem));
    }

    /// <summary>
    /// The request field at fault: the parameter a route cannot honour (<c>param</c>), the <c>field</c> a
    /// validation error names, else the JSON path a malformed body failed at.
    /// </summary>
    private static string? ParamOf(ProblemDetails problem) =>
        problem.Extensions.TryGetValue("param", out var param) && param is string parameter ? parameter
        : problem.Extensions.TryGetValue("field", out var field) && field is string name ? name
        : problem.Extensions.TryGetValue("path", out var path) && path is string { Length: > 2 } json && json.StartsWith("$.", StringComparison.Ordinal) ? json[2..]
        : null;
}
