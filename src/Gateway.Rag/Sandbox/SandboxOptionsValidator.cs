using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Env = Gateway.Rag.Sandbox.SandboxEnvironmentVariables;

namespace Gateway.Rag.Sandbox;

/// <summary>Checks <see cref="SandboxOptions"/> at start-up and reports every problem at once, each naming the setting and what is expected.</summary>
internal sealed partial class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (rootName, path) in options.Roots.OrderBy(root => root.Key, StringComparer.OrdinalIgnoreCase))
        {
            var setting = $"{Env.Roots} ({SandboxOptions.SectionName}:{nameof(SandboxOptions.Roots)}:{rootName})";
            if (!RootName().IsMatch(rootName))
            {
                errors.Add($"{setting}: the root name '{rootName}' is not 1 to 64 letters, digits, '.', '_' or '-' starting with a letter or digit.");
            }

            if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
            {
                errors.Add($"{setting}: expected the absolute path of a folder, got '{path}'.");
            }
            else if (!Directory.Exists(path))
            {
                errors.Add($"{setting}: the folder '{path}' does not exist (or the gateway's process cannot see it).");
            }
        }

        if (options.MaxReadBytes < 1)
        {
            errors.Add($"{Env.MaxReadBytes}: expected a whole number of bytes of at least 1, got {options.MaxReadBytes}.");
        }

        if (options.MaxPathCharacters is < 16 or > 4096)
        {
            errors.Add($"{Env.MaxPathCharacters}: expected a whole number from 16 to 4096, got {options.MaxPathCharacters}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex RootName();
}
