using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Gateway.Core.Configuration;

/// <summary>
/// Validates a whole-number setting's range, for a source-generated options validator
/// (<c>[OptionsValidator]</c>). The failure names the environment variable and the configuration key
/// and says what is expected, e.g. <c>SSE_HEARTBEAT_SECONDS: expected a whole number of at least 0,
/// got -1 (Gateway:Http:SseHeartbeatSeconds).</c>
/// </summary>
/// <param name="variable">The setting's environment variable, e.g. <c>SSE_HEARTBEAT_SECONDS</c>.</param>
/// <param name="key">The setting's configuration key, e.g. <c>Gateway:Http:SseHeartbeatSeconds</c>.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class WholeNumberSettingAttribute(string variable, string key) : ValidationAttribute
{
    /// <summary>The setting's environment variable.</summary>
    public string Variable { get; } = variable;

    /// <summary>The setting's configuration key.</summary>
    public string Key { get; } = key;

    /// <summary>The smallest value accepted.</summary>
    public long Minimum { get; set; } = long.MinValue;

    /// <summary>The largest value accepted.</summary>
    public long Maximum { get; set; } = long.MaxValue;

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        // No member names in the result: the message starts with the variable, as every other configuration problem does.
        var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
        return number < Minimum ? new ValidationResult($"{Variable}: expected a whole number of at least {Minimum}, got {number} ({Key}).")
            : number > Maximum ? new ValidationResult($"{Variable}: expected at most {Maximum}, got {number} ({Key}).")
            : ValidationResult.Success;
    }
}
