using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Gateway.Benchmarks.Storage;
using Gateway.Benchmarks.Vectors;
using Gateway.Core.Storage.Rag;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// The RAG search corpus: one collection of 100,000 chunks in 1,000 documents of 100. Each chunk is about
/// 1,000 characters (two texts of <see cref="SearchCorpus.CreateTextSource"/>: the message corpus's 50,000-word
/// Zipf vocabulary) with row <c>i</c> of <see cref="VectorBenchData"/>'s clustered 384-dimension vectors;
/// document <c>d</c> has the metadata <c>{"year": 2016 + d % 10, "lang": "en" | "de"}</c>, so
/// <c>{"year": 2020}</c> matches 10 % of the chunks. Written once through the store under test (its keyword
/// index kept as the store keeps it), and found again by name on later runs; a collection left short by an
/// interrupted run is completed (the texts are drawn again in order; documents already there are skipped).
/// </summary>
internal static class RagSearchCorpus
{
    public const int Dimensions = VectorBenchData.Dimensions;
    public const int ChunkCount = 100_000;
    public const int ChunksPerDocument = 100;
    public const int DocumentCount = ChunkCount / ChunksPerDocument;
    public const string CollectionName = "rag-search-bench-v1-100000";
    private const int Seed = 20261203;

    /// <summary>The collection, written first when it is missing or incomplete.</summary>
    public static async Task<RagCollection> EnsureAsync(IRagCollectionStore store, TextWriter log, CancellationToken cancellationToken = default)
    {
        var existing = await store.FindCollectionByNameAsync(CollectionName, cancellationToken).ConfigureAwait(false);
        if (existing is { ChunkCount: ChunkCount, DocumentCount: DocumentCount })
        {
            return existing;
        }

        var clock = Stopwatch.StartNew();
        var collection = existing ?? await store.CreateCollectionAsync(
            new RagCollectionDefinition(CollectionName, PrecomputedQueryEmbeddings.ModelName, Dimensions, "RAG search benchmark corpus"), cancellationToken)
            .ConfigureAwait(false);
        var (rows, _) = VectorBenchData.Get(ChunkCount);
        var texts = SearchCorpus.CreateTextSource(Seed);
        var document = new StringBuilder(ChunksPerDocument * 1_100);
        for (var d = 0; d < DocumentCount; d++)
        {
            document.Clear();
            var chunks = new NewRagChunk[ChunksPerDocument];
            for (var c = 0; c < ChunksPerDocument; c++)
            {
                if (c > 0)
                {
                    document.Append("\n\n");
                }

                var text = texts() + " " + texts();
                var start = document.Length;
                document.Append(text);
                var row = (d * ChunksPerDocument) + c;
                chunks[c] = new NewRagChunk(text, new ChunkCitation(start, document.Length), rows.AsMemory(row * Dimensions, Dimensions));
            }

            var full = document.ToString();
            var name = $"doc-{d:D4}.txt";
            if (existing is not null && await store.FindDocumentByNameAsync(collection.Id, name, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var metadata = JsonSerializer.SerializeToElement(new { year = 2016 + (d % 10), lang = d % 2 == 0 ? "en" : "de" });
            await store.WriteDocumentAsync(
                collection.Id, new RagDocumentWrite(name, RagRules.ContentHash(full), full.Length, chunks, metadata), cancellationToken)
                .ConfigureAwait(false);
            if ((d + 1) % 100 == 0)
            {
                await log.WriteLineAsync($"// rag corpus: {(d + 1) * ChunksPerDocument:N0} chunks written ({clock.Elapsed.TotalSeconds:F0} s)").ConfigureAwait(false);
            }
        }

        return await store.GetCollectionAsync(collection.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The corpus collection went away while it was written.");
    }
}
