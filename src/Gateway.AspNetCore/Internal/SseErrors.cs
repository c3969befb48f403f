using System.Text.Json;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Reports a failure that happens after a stream has started: the status line is gone, so the
/// problem details travel as the data of an event (named <c>error</c> on the gateway's own API,
/// unnamed on the OpenAI surface, whose clients read <c>data: {"error":…}</c>) and the stream ends.
/// </summary>
internal static class SseErrors
{
    public static async Task WriteAsync(HttpContext context, SseWriter sse, GatewayException error, SseDialect dialect)
    {
        var problem = GatewayProblems.Create(context, error);
        if (dialect.WriteError(sse, problem))
        {
            await sse.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var json = dialect.NamedErrorEvent ? sse.BeginEvent("error"u8) : sse.BeginEvent();
        JsonSerializer.Serialize(json, problem, options);
        await sse.EndEventAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
