using System.Globalization;
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

        ReadNumber(options, Env.MaxInputs, value => options.MaxInputs = value);
        ReadNumber(options, Env.MaxInputCharacters, value => options.MaxInputCharacters = value);
    }

    private void ReadNumber(EmbeddingOptions options, string variable, Action<int> apply)
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
