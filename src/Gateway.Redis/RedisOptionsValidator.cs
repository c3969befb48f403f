using Microsoft.Extensions.Options;
using Env = Gateway.Redis.RedisEnvironmentVariables;

namespace Gateway.Redis;

/// <summary>With <c>USE_REDIS=true</c>, <c>REDIS_URL</c> must be set and readable: checked at start-up, not at the first request.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.Url))
        {
            return ValidateOptionsResult.Fail($"{Env.UseRedis} is true but {Env.RedisUrl} is not set: set it to the Redis address, e.g. redis://127.0.0.1:6379.");
        }

        return RedisEndpoint.Validate(options.Url) is { } problem
            ? ValidateOptionsResult.Fail($"{Env.RedisUrl}: cannot read '{options.Url}' ({problem}); expected redis://[:password@]host[:port][/db] or host:port.")
            : ValidateOptionsResult.Success;
    }
}
