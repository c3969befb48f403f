using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Redis;

/// <summary>With <c>USE_REDIS=true</c>, <c>REDIS_URL</c> must be readable: checked at start-up, not at the first request.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options) =>
        options.UseRedis && !string.IsNullOrWhiteSpace(options.RedisUrl) && RedisEndpoint.Validate(options.RedisUrl) is { } problem
            ? ValidateOptionsResult.Fail(
                $"REDIS_URL: cannot read '{options.RedisUrl}' ({problem}); expected redis://[:password@]host[:port][/db] or host:port.")
            : ValidateOptionsResult.Success;
}
