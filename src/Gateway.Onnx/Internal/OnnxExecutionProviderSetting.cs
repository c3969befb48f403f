using Microsoft.Extensions.Configuration;

namespace Gateway.Onnx.Internal;

/// <summary>
/// The one setting both kinds of local model read for where they run: <c>Gateway:Onnx:ExecutionProvider</c>,
/// then <c>ONNX_EXECUTION_PROVIDER</c>, which wins.
/// </summary>
internal static class OnnxExecutionProviderSetting
{
    /// <summary>The appsettings form of the setting.</summary>
    public const string Key = "Gateway:Onnx:ExecutionProvider";

    /// <summary>The value that applies and the name it was read under, or <see langword="null"/> when neither is set.</summary>
    public static (string Value, string Name)? Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        (string, string)? found = null;
        foreach (var name in new[] { Key, OnnxEnvironmentVariables.ExecutionProvider })
        {
            if (configuration[name] is { } value && !string.IsNullOrWhiteSpace(value))
            {
                found = (value.Trim(), name);
            }
        }

        return found;
    }

    /// <summary>Reads <c>auto</c>, <c>cpu</c> or <c>cuda</c>, ignoring case.</summary>
    public static bool TryParse(string? value, out OnnxExecutionProvider provider) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out provider) && Enum.IsDefined(provider) && !int.TryParse(value, out _);
}
