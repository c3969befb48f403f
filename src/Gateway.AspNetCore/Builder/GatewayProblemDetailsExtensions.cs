using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes the host's own error responses (unknown path, wrong method, unhandled failure) problem details too.</summary>
public static class GatewayProblemDetailsExtensions
{
    /// <summary>
    /// Registers ASP.NET Core problem details so that, with <c>app.UseStatusCodePages()</c> and
    /// <c>app.UseExceptionHandler()</c>, responses the gateway's endpoints do not write themselves are
    /// RFC 9457 bodies with an <c>errorCode</c> as well.
    /// </summary>
    public static IGatewayBuilder AddProblemDetails(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Extensions.ContainsKey("errorCode"))
            {
                return;
            }

            var errorCode = problem.Status switch
            {
                StatusCodes.Status404NotFound => GatewayErrorCodes.EndpointNotFound,
                StatusCodes.Status405MethodNotAllowed => GatewayErrorCodes.MethodNotAllowed,
                StatusCodes.Status500InternalServerError => GatewayErrorCodes.InternalError,
                _ => GatewayErrorCodes.InvalidRequest,
            };
            problem.Extensions["errorCode"] = errorCode;
            if (OpenAIErrorShape.Applies(context.HttpContext))
            {
                OpenAIErrorShape.AddTo(problem, errorCode);
            }
        });
        return builder;
    }
}
