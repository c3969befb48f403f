using System.Globalization;
using Gateway.Core.Embeddings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>
/// Reads <see cref="OnnxEmbeddingOptions"/>: the <c>Gateway:Embeddings</c> section, then the flat variables,
/// which win. A value that cannot be read is recorded and reported by <see cref="OnnxEmbeddingOptionsValidator"/>.
/// </summary>
internal sealed class OnnxEmbeddingOptionsSetup(IConfiguration configuration) : IConfigureOptions<OnnxEmbeddingOptions>
{
    /// <summary>The appsettings key that picks where every ONNX model of the package runs.</summary>
    private const string PackageExecutionProviderKey = "Gateway:Onnx:ExecutionProvider";

    public void Configure(OnnxEmbeddingOptions options)
    {
        try
        {
            configuration.GetSection(EmbeddingOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            options.ConfigurationErrors.Add($"{EmbeddingOptions.SectionName} section: {ex.Message}");
        }

        foreach (var entry in configuration.GetChildren())
        {
            if (entry.Key.StartsWith(EmbeddingEnvironmentVariables.ModelPrefix, StringComparison.OrdinalIgnoreCase) && entry.Value is not null)
            {
                var name = entry.Key[EmbeddingEnvironmentVariables.ModelPrefix.Length..];
                if (name.Length == 0 || entry.Value.Trim().Length == 0)
                {
                    options.ConfigurationErrors.Add($"{entry.Key}: expected {EmbeddingEnvironmentVariables.ModelPrefix}<NAME>=<model folder>, got '{entry.Value}'.");
                    continue;
                }

                options.Models[name] = entry.Value.Trim();
            }
        }

        // The package-wide key (shared with onnx routes), then the variable, which wins.
        foreach (var key in new[] { PackageExecutionProviderKey, OnnxEnvironmentVariables.ExecutionProvider })
        {
            if (configuration[key] is not { Length: > 0 } provider)
            {
                continue;
            }

            if (Enum.TryParse<OnnxExecutionProvider>(provider.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                options.ExecutionProvider = parsed;
            }
            else
            {
                options.ConfigurationErrors.Add($"{key}: expected auto, cpu or cuda, got '{provider}'.");
            }
        }

        ReadNumber(options, OnnxEnvironmentVariables.IntraOpThreads, value => options.IntraOpThreads = value);
        ReadNumber(options, OnnxEnvironmentVariables.EmbeddingBatchSize, value => options.BatchSize = value);
    }

    private void ReadNumber(OnnxEmbeddingOptions options, string variable, Action<int> apply)
    {
        if (configuration[variable] is not { Length: > 0 } value)
        {
            return;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            apply(number);
        }
        else
        {
            options.ConfigurationErrors.Add($"{variable}: expected a whole number, got '{value}'.");
        }
    }
}
