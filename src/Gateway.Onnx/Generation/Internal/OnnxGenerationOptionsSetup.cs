using Gateway.Onnx.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>Reads <see cref="OnnxGenerationOptions"/>: the appsettings key, then the environment variable, which wins.</summary>
internal sealed class OnnxGenerationOptionsSetup(IConfiguration? configuration) : IConfigureOptions<OnnxGenerationOptions>
{
    public void Configure(OnnxGenerationOptions options)
    {
        if (configuration is null)
        {
            return;
        }

        if (OnnxExecutionProviderSetting.Read(configuration) is ({ } value, _))
        {
            options.ExecutionProvider = value;
        }
    }
}
