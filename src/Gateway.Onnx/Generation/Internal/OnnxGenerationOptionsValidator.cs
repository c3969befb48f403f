using Microsoft.Extensions.Options;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>Stops start-up on an execution provider the gateway does not know, naming the setting and the choices.</summary>
internal sealed class OnnxGenerationOptionsValidator : IValidateOptions<OnnxGenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, OnnxGenerationOptions options) =>
        ExecutionProviders.TryNormalize(options.ExecutionProvider) is null
            ? ValidateOptionsResult.Fail(
                $"{OnnxGenerationOptions.ExecutionProviderVariable} (or {OnnxGenerationOptions.ExecutionProviderKey}): " +
                $"'{options.ExecutionProvider}' is not an execution provider; use '{OnnxGenerationOptions.Auto}', '{OnnxGenerationOptions.Cpu}' or '{OnnxGenerationOptions.Cuda}'.")
            : ValidateOptionsResult.Success;
}
