using Gateway.Core.Embeddings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Rag.Tests.Infrastructure;

/// <summary>The bundled all-MiniLM-L6-v2 as the gateway registers it, loaded once for the whole test run.</summary>
public static class BundledModel
{
    private static readonly Lazy<ServiceProvider> Services = new(() =>
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddGateway().AddOnnxEmbeddings();
        return services.BuildServiceProvider();
    });

    public static EmbeddingModel Model => Services.Value.GetRequiredService<EmbeddingModelRegistry>().Default;

    public static IEmbeddingTokenizer Tokenizer => Model.Tokenizer ?? throw new InvalidOperationException("The bundled model exposes no tokenizer.");
}
