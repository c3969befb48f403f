using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Rag.Tests;

/// <summary><c>AddRag()</c> binds <see cref="RagOptions"/> from the <c>RAG_*</c> variables and the <c>Gateway:Rag</c> section, and checks them.</summary>
public sealed class RagOptionsTests
{
    [Fact]
    public void AddRag_NothingConfigured_UsesTheDocumentedDefaults()
    {
        var options = Options(new Dictionary<string, string?>());

        Assert.Equal(200, options.ChunkTokens);
        Assert.Equal(40, options.ChunkOverlapTokens);
        Assert.Equal(60, options.RrfConstant);
        Assert.Equal(10, options.DefaultK);
        Assert.Equal(1_000_000, options.MaxDocumentCharacters);
        Assert.Equal(52_428_800, options.MaxDocumentBytes);
    }

    [Fact]
    public void AddRag_VariablesAndSection_VariablesWin()
    {
        var options = Options(new Dictionary<string, string?>
        {
            ["Gateway:Rag:ChunkTokens"] = "300",
            ["Gateway:Rag:RrfConstant"] = "10",
            ["RAG_CHUNK_TOKENS"] = "120",
            ["RAG_CHUNK_OVERLAP_TOKENS"] = "20",
            ["RAG_DEFAULT_K"] = "7",
            ["RAG_MAX_DOCUMENT_CHARS"] = "5000",
            ["RAG_MAX_DOCUMENT_BYTES"] = "1048576",
        });

        Assert.Equal(120, options.ChunkTokens);
        Assert.Equal(20, options.ChunkOverlapTokens);
        Assert.Equal(10, options.RrfConstant);
        Assert.Equal(7, options.DefaultK);
        Assert.Equal(5000, options.MaxDocumentCharacters);
        Assert.Equal(1_048_576, options.MaxDocumentBytes);
    }

    [Fact]
    public void AddRag_BadValues_EveryProblemNamesItsVariable()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new Dictionary<string, string?>
        {
            ["RAG_CHUNK_TOKENS"] = "100",
            ["RAG_CHUNK_OVERLAP_TOKENS"] = "50",
            ["RAG_RRF_K"] = "0",
            ["RAG_DEFAULT_K"] = "201",
            ["RAG_MAX_DOCUMENT_CHARS"] = "0",
            ["RAG_MAX_DOCUMENT_BYTES"] = "1073741825",
        }));

        Assert.Equal(5, error.Failures.Count());
        Assert.Contains(error.Failures, failure => failure.StartsWith("RAG_CHUNK_OVERLAP_TOKENS: expected a whole number from 0 to less than half of RAG_CHUNK_TOKENS (100), got 50", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("RAG_RRF_K: expected a whole number from 1 to 10000, got 0", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("RAG_DEFAULT_K: expected a whole number from 1 to 200, got 201", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("RAG_MAX_DOCUMENT_CHARS:", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("RAG_MAX_DOCUMENT_BYTES: expected a whole number from 1 to 1073741824, got 1073741825", StringComparison.Ordinal));
    }

    [Fact]
    public void AddRag_NotANumber_NamesTheVariable()
    {
        var error = Assert.ThrowsAny<Exception>(() => Options(new Dictionary<string, string?> { ["RAG_CHUNK_TOKENS"] = "lots" }));

        Assert.Contains("RAG_CHUNK_TOKENS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRag_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddGateway().AddRag().AddRag();

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(RagService));
        Assert.Single(services, descriptor => descriptor.ImplementationType?.Name == "RagOptionsValidator");
    }

    private static RagOptions Options(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddGateway().AddRag();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RagOptions>>().Value;
    }
}
