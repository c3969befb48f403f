using Microsoft.Extensions.Options;
using Env = Gateway.AspNetCore.Configuration.Internal.HttpEnvironmentVariables;

namespace Gateway.AspNetCore.Configuration.Internal;

/// <summary>
/// Checks what the ranges of <see cref="GatewayHttpOptionsSettingsValidator"/> cannot: the metrics path
/// and the API keys. Both run at start-up and report every problem at once, each naming the setting.
/// </summary>
internal sealed class GatewayHttpOptionsValidator : IValidateOptions<GatewayHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayHttpOptions options)
    {
        var errors = new List<string>();
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
}
