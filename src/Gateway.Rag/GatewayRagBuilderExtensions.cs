using Gateway.Core.Chat.Retrieval;
using Gateway.Core.Embeddings;
using Gateway.Core.Storage.Rag;
using Gateway.Rag;
using Gateway.Rag.Chat;
using Gateway.Rag.Ingestion;
using Gateway.Rag.Ingestion.Internal;
using Gateway.Rag.Reembedding;
using Gateway.Rag.VectorData;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds retrieval over the user's documents to the gateway.</summary>
public static class GatewayRagBuilderExtensions
{
    /// <summary>
    /// Registers the <see cref="RagService"/> (collections, documents as text, vector, keyword and hybrid
    /// search), the same collections as a Microsoft.Extensions.VectorData <c>VectorStore</c> (<see cref="RagVectorStore"/>)
    /// and <see cref="RagOptions"/> (the <c>Gateway:Rag</c> section and the <c>RAG_*</c> variables,
    /// validated at start-up), and the embedding service it embeds with (see <c>AddEmbeddings()</c>). The
    /// stores come from a storage package (<c>AddSqliteStorage()</c>, <c>AddPostgresStorage()</c>) and the
    /// models from a model package (<c>AddOnnxEmbeddings()</c>); with both, <c>MapGateway()</c> maps
    /// <c>/api/rag/**</c> and <c>/api/spaces/{id}/collections</c>. Chat turns retrieve through it too (an
    /// <see cref="IChatContextRetriever"/>: the <c>rag</c> member of <c>/api/chat</c>, and a space's collections).
    /// Documents are ingested by durable jobs (<see cref="RagIngestions"/>, job kind <c>rag.ingestion</c>), and changing the
    /// model of a collection that holds documents runs as a <c>rag.reembedding</c> job, both on the job worker
    /// (<c>AddJobWorker()</c>, added here). Safe to call more than once, in any order.
    /// </summary>
    public static IGatewayBuilder AddRag(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(RagService)))
        {
            return builder;
        }

        builder.AddEmbeddings();
        builder.AddJobHandler<RagReembeddingJob>(RagReembeddingJob.Kind);
        builder.MapEnvironmentVariables(RagEnvironmentVariables.Map);
        services.AddOptions<RagOptions>().BindGatewayConfiguration(RagOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RagOptions>, RagOptionsValidator>());
        services.TryAddSingleton<RagService>();
        services.TryAddSingleton(sp => new RagVectorStore(
            sp.GetRequiredService<IRagCollectionStore>(), sp.GetRequiredService<IVectorStore>(), sp.GetService<EmbeddingService>()));
        services.TryAddSingleton<Microsoft.Extensions.VectorData.VectorStore>(sp => sp.GetRequiredService<RagVectorStore>());
        services.TryAddSingleton<IChatContextRetriever, RagChatContextRetriever>();
        services.TryAddSingleton<RagIngestions>();
        builder.AddJobHandler<RagIngestionHandler>(RagIngestions.Kind);
        return builder;
    }
}
