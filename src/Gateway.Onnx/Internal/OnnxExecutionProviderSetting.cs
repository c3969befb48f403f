namespace Gateway.Onnx.Internal;

/// <summary>
/// The one setting both kinds of local model read for where they run: <c>Gateway:Onnx:ExecutionProvider</c>,
/// with <c>ONNX_EXECUTION_PROVIDER</c> applied over it (see <see cref="OnnxEnvironmentVariables.Map"/>).
/// </summary>
internal static class OnnxExecutionProviderSetting
{
    /// <summary>The package's own section, which <see cref="Generation.OnnxGenerationOptions"/> binds.</summary>
    public const string Section = "Gateway:Onnx";

    /// <summary>The appsettings form of the setting.</summary>
    public const string Key = Section + ":ExecutionProvider";

    /// <summary>Reads <c>auto</c>, <c>cpu</c> or <c>cuda</c>, ignoring case.</summary>
    public static bool TryParse(string? value, out OnnxExecutionProvider provider) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out provider) && Enum.IsDefined(provider) && !int.TryParse(value, out _);
}
