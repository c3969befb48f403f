using Gateway.Core.Configuration;
using Gateway.Core.Routing;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Chat;

/// <summary>Fails start-up when <c>ConfigureChatPipeline("key", …)</c> names a route that is not configured, so a typo is not silently ignored.</summary>
internal sealed class ChatPipelineOptionsValidator(IOptions<GatewayOptions> gateway) : IValidateOptions<ChatPipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatPipelineOptions options)
    {
        IEnumerable<string> routes;
        try
        {
            routes = gateway.Value.Routes.Keys;
        }
        catch (OptionsValidationException)
        {
            // The gateway options report their own problems; repeating them here would list each twice.
            return ValidateOptionsResult.Skip;
        }

        var configured = new HashSet<RouteKey>();
        foreach (var key in routes)
        {
            if (RouteKey.TryParse(key, out var routeKey))
            {
                configured.Add(routeKey);
            }
        }

        var errors = options.NamedRoutes
            .Where(key => !configured.Contains(key))
            .Select(key => $"ConfigureChatPipeline(\"{key}\", …) names no configured route (configured: {(configured.Count == 0 ? "none" : string.Join(", ", configured.Select(k => k.Value).Order(StringComparer.Ordinal)))}).")
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
