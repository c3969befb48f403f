using Microsoft.Extensions.Options;
using Env = Gateway.Core.Embeddings.EmbeddingEnvironmentVariables;

namespace Gateway.Core.Embeddings;

/// <summary>Checks <see cref="EmbeddingOptions"/> at start-up and reports every problem at once, each naming the variable and what is expected.</summary>
internal sealed class EmbeddingOptionsValidator : IValidateOptions<EmbeddingOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DefaultModel))
        {
            errors.Add($"{Env.DefaultModel}: expected the name of an embedding model, e.g. {EmbeddingOptions.BundledModelName}.");
        }

        if (options.MaxInputs is < 1 or > 100_000)
        {
            errors.Add($"{Env.MaxInputs}: expected a whole number from 1 to 100000, got {options.MaxInputs}.");
        }

        if (options.MaxInputCharacters is < 1 or > 10_000_000)
        {
            errors.Add($"{Env.MaxInputCharacters}: expected a whole number from 1 to 10000000, got {options.MaxInputCharacters}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
