using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Rag;

namespace Gateway.Core.Tests.Storage.Rag;

public sealed class RagRulesTests
{
    [Fact]
    public void ContentHash_IsLowercaseHexSha256OfUtf8() =>
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", RagRules.ContentHash("hello"));

    [Fact]
    public void ContentHash_LongTextWithPairsAcrossItsSlices_IsTheHashOfAllItsUtf8()
    {
        // Three characters a repeat: some slice boundaries fall between the two halves of a surrogate pair.
        var text = string.Concat(Enumerable.Repeat("a🌊", 40_000));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), RagRules.ContentHash(text));
    }

    [Fact]
    public void CheckVector_OtherLength_IsEmbeddingModelMismatchWithBothLengths()
    {
        var error = Assert.Throws<GatewayException>(() => RagRules.CheckVector([1f, 2f], 3, "chunks[4].vector"));

        Assert.Equal(GatewayErrorCodes.EmbeddingModelMismatch, error.ErrorCode);
        Assert.Equal(3, error.Extensions["expectedDimensions"]);
        Assert.Equal(2, error.Extensions["dimensions"]);
        Assert.Equal("chunks[4].vector", error.Extensions["field"]);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void CheckVector_NotFinite_IsInvalidRequest(float bad)
    {
        var error = Assert.Throws<GatewayException>(() => RagRules.CheckVector([1f, bad], 2, "vector"));

        Assert.Equal(GatewayErrorCodes.InvalidRequest, error.ErrorCode);
    }

    [Fact]
    public void CheckVector_AllZero_IsInvalidRequest() =>
        Assert.Equal(GatewayErrorCodes.InvalidRequest, Assert.Throws<GatewayException>(() => RagRules.CheckVector([0f, 0f], 2, "vector")).ErrorCode);

    [Theory]
    [InlineData(0)]
    [InlineData(RagRules.MaxDimensions + 1)]
    public void Validate_DimensionsOutOfRange_NamesTheField(int dimensions)
    {
        var error = Assert.Throws<GatewayException>(() => RagRules.Validate(new RagCollectionDefinition("docs", "minilm", dimensions)));

        Assert.Equal("dimensions", error.Extensions["field"]);
    }

    [Fact]
    public void Validate_MalformedSpaceId_IsSpaceNotFound() =>
        Assert.Equal(
            GatewayErrorCodes.SpaceNotFound,
            Assert.Throws<GatewayException>(() => RagRules.Validate(new RagCollectionDefinition("docs", "minilm", 384, SpaceId: "nope"))).ErrorCode);

    [Fact]
    public void Validate_DocumentWithAShortVector_IsEmbeddingModelMismatchNamingTheChunk()
    {
        var chunks = new[]
        {
            new NewRagChunk("a", new ChunkCitation(0, 1), new float[] { 1, 0, 0 }),
            new NewRagChunk("b", new ChunkCitation(1, 2), new float[] { 1, 0 }),
        };
        var write = new RagDocumentWrite("doc", RagRules.ContentHash("ab"), 2, chunks);

        var error = Assert.Throws<GatewayException>(() => RagRules.Validate(write, 3));

        Assert.Equal(GatewayErrorCodes.EmbeddingModelMismatch, error.ErrorCode);
        Assert.Equal("chunks[1].vector", error.Extensions["field"]);
    }
}
