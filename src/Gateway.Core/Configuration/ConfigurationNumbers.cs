using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Configuration;

namespace Gateway.Core.Configuration;

/// <summary>
/// Reads whole-number settings the way every gateway options setup does: an absent or empty value
/// leaves the default, a value that is not a whole number is collected as an error naming the setting
/// (reported together at start-up by the options validator) instead of throwing.
/// </summary>
public static class ConfigurationNumbers
{
    /// <summary>Applies the whole number under <paramref name="key"/>, if it is set.</summary>
    /// <param name="configuration">Where the settings come from.</param>
    /// <param name="key">The setting's name, e.g. an environment variable; also the name errors give.</param>
    /// <param name="errors">Collects the error when the value is not a whole number.</param>
    /// <param name="apply">Receives the number.</param>
    public static void Read<T>(IConfiguration configuration, string key, ICollection<string> errors, Action<T> apply)
        where T : IBinaryInteger<T>
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(apply);
        if (configuration[key] is not { Length: > 0 } value)
        {
            return;
        }

        if (T.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            apply(number);
        }
        else
        {
            errors.Add($"{key}: expected a whole number, got '{value}'.");
        }
    }
}
