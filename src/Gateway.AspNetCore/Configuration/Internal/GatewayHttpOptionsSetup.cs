using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Configuration.Internal;

/// <summary>
/// Reads <see cref="GatewayHttpOptions"/>: the <c>Gateway:Http</c> section, then the flat variables,
/// which win. A value that cannot be read is recorded and reported by <see cref="GatewayHttpOptionsValidator"/>.
/// </summary>
internal sealed class GatewayHttpOptionsSetup(IConfiguration configuration) : IConfigureOptions<GatewayHttpOptions>
{
    public void Configure(GatewayHttpOptions options)
    {
        try
        {
            configuration.GetSection(GatewayHttpOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            options.ConfigurationErrors.Add($"{GatewayHttpOptions.SectionName} section: {ex.Message}");
        }

        if (configuration[HttpEnvironmentVariables.ApiKeys] is { } keys)
        {
            options.ApiKeys.Clear();
            foreach (var key in keys.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                options.ApiKeys.Add(key);
            }
        }

        var errors = options.ConfigurationErrors;
        ConfigurationNumbers.Read<int>(configuration, HttpEnvironmentVariables.RateLimitPerMinute, errors, value => options.RateLimitPerMinute = value);
        ConfigurationNumbers.Read<long>(configuration, HttpEnvironmentVariables.MaxRequestBodyBytes, errors, value => options.MaxRequestBodyBytes = value);
        ConfigurationNumbers.Read<long>(configuration, HttpEnvironmentVariables.MaxImportBytes, errors, value => options.MaxImportBytes = value);
        ConfigurationNumbers.Read<int>(configuration, HttpEnvironmentVariables.SseHeartbeatSeconds, errors, value => options.SseHeartbeatSeconds = value);
        if (configuration[HttpEnvironmentVariables.MetricsPath] is { Length: > 0 } path)
        {
            options.MetricsPath = path.Trim();
        }

        switch (configuration[HttpEnvironmentVariables.MetricsRequireKey]?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "true" or "1" or "yes":
                options.MetricsRequireKey = true;
                break;
            case "false" or "0" or "no":
                options.MetricsRequireKey = false;
                break;
            default:
                errors.Add($"{HttpEnvironmentVariables.MetricsRequireKey}: expected true or false, got '{configuration[HttpEnvironmentVariables.MetricsRequireKey]}'.");
                break;
        }
    }
}
