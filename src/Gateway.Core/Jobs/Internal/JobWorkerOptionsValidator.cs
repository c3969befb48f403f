using Gateway.Core.Storage.Jobs;
using Microsoft.Extensions.Options;
using Env = Gateway.Core.Jobs.Internal.JobEnvironmentVariables;

namespace Gateway.Core.Jobs.Internal;

/// <summary>Checks <see cref="JobWorkerOptions"/> at start-up and reports every problem at once, each naming the setting, its variable and what is expected.</summary>
internal sealed class JobWorkerOptionsValidator : IValidateOptions<JobWorkerOptions>
{
    public const int MaxConcurrency = 256;

    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MaxRetention = TimeSpan.FromDays(36_500);

    public ValidateOptionsResult Validate(string? name, JobWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Concurrency is < 1 or > MaxConcurrency)
        {
            errors.Add($"{Setting(nameof(options.Concurrency), Env.Concurrency)}: expected a whole number from 1 to {MaxConcurrency}, got {options.Concurrency}.");
        }

        if (options.LeaseDuration <= TimeSpan.Zero || options.LeaseDuration > JobRules.MaxLeaseDuration)
        {
            errors.Add($"{Setting(nameof(options.LeaseDuration), Env.LeaseDuration)}: expected more than zero and at most {JobRules.MaxLeaseDuration} "
                + $"(written hh:mm:ss, e.g. 00:00:30), got {options.LeaseDuration}.");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero || options.HeartbeatInterval > options.LeaseDuration / 2)
        {
            errors.Add($"{Setting(nameof(options.HeartbeatInterval), Env.HeartbeatInterval)}: expected more than zero and at most half the lease "
                + $"({options.LeaseDuration / 2}), so one late heartbeat does not lose the job, got {options.HeartbeatInterval}.");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > MaxPollInterval)
        {
            errors.Add($"{Setting(nameof(options.PollInterval), Env.PollInterval)}: expected more than zero and at most {MaxPollInterval}, got {options.PollInterval}.");
        }

        if (options.Retention < TimeSpan.Zero || options.Retention > MaxRetention)
        {
            errors.Add($"{Setting(nameof(options.Retention), Env.Retention)}: expected zero (keep finished jobs forever) or up to {MaxRetention.Days} days "
                + $"(written d.hh:mm:ss, e.g. 7.00:00:00), got {options.Retention}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Setting(string property, string variable) => $"{JobWorkerOptions.SectionName}:{property} ({variable})";
}
