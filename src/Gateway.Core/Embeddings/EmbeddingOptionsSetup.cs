using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Env = Gateway.Core.Embeddings.EmbeddingEnvironmentVariables;

namespace Gateway.Core.Embeddings;

/// <summary>
/// Reads <see cref="EmbeddingOptions"/>: the <c>Gateway:Embeddings</c> section, then the flat variables,
/// which win. A value that cannot be read is recorded and reported by <see cref="EmbeddingOptionsValidator"/>.
/// </summary>
internal sealed class EmbeddingOptionsSetup(IConfiguration configuration) : IConfigureOptions<EmbeddingOptions>
{
    public void Configure(EmbeddingOptions options)
    {
        try
        {
            configuration.GetSection(EmbeddingOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            options.ConfigurationErrors.Add($"{EmbeddingOptions.SectionName} section: {ex.Message}");
        }

        if (configuration[Env.DefaultModel] is { Length: > 0 } model)
        {
            options.DefaultModel = model.Trim();
        }

        ConfigurationNumbers.Read<int>(configuration, Env.MaxInputs, options.ConfigurationErrors, value => options.MaxInputs = value);
        ConfigurationNumbers.Read<int>(configuration, Env.MaxInputCharacters, options.ConfigurationErrors, value => options.MaxInputCharacters = value);
    }
}
