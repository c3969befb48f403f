using Microsoft.Extensions.Options;

namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>Checks <see cref="OnnxEmbeddingOptions"/> at start-up, model folders included, and reports every problem at once.</summary>
internal sealed class OnnxEmbeddingOptionsValidator : IValidateOptions<OnnxEmbeddingOptions>
{
    public ValidateOptionsResult Validate(string? name, OnnxEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (model, folder) in options.Models)
        {
            if (EmbeddingModelFolder.Problem(folder) is { } problem)
            {
                errors.Add($"{OnnxEnvironmentVariables.EmbeddingModelPrefix}{model}: {problem}; expected a sentence-embedding model folder with model.onnx and vocab.txt or tokenizer.json.");
            }
        }

        if (options.IncludeBundledModel && !options.Models.ContainsKey(BundledEmbeddingModel.Name)
            && EmbeddingModelFolder.Problem(BundledEmbeddingModel.Folder) is { } missing)
        {
            errors.Add($"The bundled embedding model {BundledEmbeddingModel.Name} is not beside the application ({missing}); build the application with a reference to Gateway.Onnx, which copies it to models/{BundledEmbeddingModel.Name}.");
        }

        if (options.BatchSize is < 1 or > 1024)
        {
            errors.Add($"{OnnxEnvironmentVariables.EmbeddingBatchSize}: expected a whole number from 1 to 1024, got {options.BatchSize}.");
        }

        if (options.IntraOpThreads is < 0 or > 1024)
        {
            errors.Add($"{OnnxEnvironmentVariables.IntraOpThreads}: expected 0 (one per processor) to 1024, got {options.IntraOpThreads}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
