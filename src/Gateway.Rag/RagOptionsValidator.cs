using Gateway.Core.Storage.Rag;
using Microsoft.Extensions.Options;
using Env = Gateway.Rag.RagEnvironmentVariables;

namespace Gateway.Rag;

/// <summary>Checks <see cref="RagOptions"/> at start-up and reports every problem at once, each naming the variable and what is expected.</summary>
internal sealed class RagOptionsValidator : IValidateOptions<RagOptions>
{
    public ValidateOptionsResult Validate(string? name, RagOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, Env.ChunkTokens, options.ChunkTokens, 16, 8192);
        if (options.ChunkOverlapTokens < 0 || options.ChunkOverlapTokens * 2 >= options.ChunkTokens)
        {
            errors.Add($"{Env.ChunkOverlapTokens}: expected a whole number from 0 to less than half of {Env.ChunkTokens} ({options.ChunkTokens}), got {options.ChunkOverlapTokens}.");
        }

        Range(errors, Env.RrfConstant, options.RrfConstant, 1, 10_000);
        Range(errors, Env.DefaultK, options.DefaultK, 1, RagRules.MaxK);
        Range(errors, Env.MaxDocumentCharacters, options.MaxDocumentCharacters, 1, 100_000_000);
        Range(errors, Env.MaxDocumentBytes, options.MaxDocumentBytes, 1, 1_073_741_824);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string variable, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{variable}: expected a whole number from {min} to {max}, got {value}.");
        }
    }
}
