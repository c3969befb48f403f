using Gateway.AI.Conformance;
using Gateway.Core.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Onnx.Tests.Embeddings;

/// <summary>
/// The embedding generator conformance suite against the generator the gateway serves requests with:
/// <c>AddOnnxEmbeddings().AddOpenTelemetry()</c>'s default model, the bundled all-MiniLM-L6-v2 inside
/// Microsoft.Extensions.AI's OpenTelemetry wrapper.
/// </summary>
public sealed class ServedEmbeddingGeneratorConformanceTests : EmbeddingGeneratorConformanceTests, IDisposable
{
    private readonly ServiceProvider _services;

    public ServedEmbeddingGeneratorConformanceTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddGateway().AddOnnxEmbeddings().AddOpenTelemetry();
        _services = services.BuildServiceProvider();
        Generator = _services.GetRequiredService<EmbeddingModelRegistry>().Default.Generator;
    }

    protected override IEmbeddingGenerator<string, Embedding<float>> Generator { get; }

    protected override int Dimensions => 384;

    protected override bool ReturnsUnitVectors => true;

    public void Dispose() => _services.Dispose();
}
