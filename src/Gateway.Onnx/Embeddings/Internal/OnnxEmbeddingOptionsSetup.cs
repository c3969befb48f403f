using Gateway.Core.Configuration;
using Gateway.Core.Embeddings;
using Gateway.Onnx.Internal;
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

        // The package-wide setting, shared with onnx routes.
        if (OnnxExecutionProviderSetting.Read(configuration) is ({ } provider, { } readAs))
        {
            if (OnnxExecutionProviderSetting.TryParse(provider, out var parsed))
            {
                options.ExecutionProvider = parsed;
            }
            else
            {
                options.ConfigurationErrors.Add($"{readAs}: expected auto, cpu or cuda, got '{provider}'.");
            }
        }

        ConfigurationNumbers.Read<int>(configuration, OnnxEnvironmentVariables.IntraOpThreads, options.ConfigurationErrors, value => options.IntraOpThreads = value);
        ConfigurationNumbers.Read<int>(configuration, OnnxEnvironmentVariables.EmbeddingBatchSize, options.ConfigurationErrors, value => options.BatchSize = value);
    }
}
