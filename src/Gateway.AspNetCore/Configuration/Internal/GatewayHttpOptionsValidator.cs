using Microsoft.Extensions.Options;
using Env = Gateway.AspNetCore.Configuration.Internal.HttpEnvironmentVariables;

namespace Gateway.AspNetCore.Configuration.Internal;

/// <summary>
/// Checks <see cref="GatewayHttpOptions"/> at start-up and reports every problem at once, each naming
/// the setting and what is expected.
/// </summary>
internal sealed class GatewayHttpOptionsValidator : IValidateOptions<GatewayHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayHttpOptions options)
    {
        var errors = new List<string>();
        RequireAtLeast(errors, Env.SseHeartbeatSeconds, options.SseHeartbeatSeconds, 0);
        RequireAtLeast(errors, Env.RateLimitPerMinute, options.RateLimitPerMinute, 0);
        RequireAtLeast(errors, Env.MaxRequestBodyBytes, options.MaxRequestBodyBytes, 1024);
        RequireAtLeast(errors, Env.MaxImportBytes, options.MaxImportBytes, 1024);
        if (string.IsNullOrWhiteSpace(options.MetricsPath) || !options.MetricsPath.StartsWith('/'))
        {
            errors.Add($"{Env.MetricsPath}: expected a path starting with '/', got '{options.MetricsPath}'.");
        }

        if (options.ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{Env.ApiKeys}: an API key is empty; list non-empty keys separated by commas.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void RequireAtLeast(List<string> errors, string variable, long value, long minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{variable}: expected a whole number of at least {minimum}, got {value}.");
        }
    }
}
