using Gateway.AI.Conformance;
using Gateway.Onnx.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace Gateway.Onnx.Tests.Embeddings;

/// <summary>The embedding generator conformance suite against the bundled all-MiniLM-L6-v2 (384 dimensions, normalised).</summary>
public sealed class OnnxEmbeddingGeneratorConformanceTests : EmbeddingGeneratorConformanceTests
{
    protected override IEmbeddingGenerator<string, Embedding<float>> Generator => MiniLM.Generator;

    protected override int Dimensions => 384;

    protected override bool ReturnsUnitVectors => true;
}
