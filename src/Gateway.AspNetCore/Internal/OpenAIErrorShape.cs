using Microsoft.AspNetCore.Http;

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
}
