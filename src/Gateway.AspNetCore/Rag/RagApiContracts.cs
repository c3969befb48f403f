using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Rag;
using Gateway.Rag.Collections;
using Gateway.Rag.Retrieval;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.AspNetCore.Rag;

/// <summary>The body of <c>POST /api/rag/collections</c>.</summary>
internal sealed class CreateCollectionBody
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? SpaceId { get; set; }

    public string? EmbeddingModel { get; set; }

    public int? Dimensions { get; set; }

    public NewRagCollection ToCollection() => new(
        Name ?? throw GatewayException.InvalidField("name", "a collection name is required."), EmbeddingModel, Dimensions, Description, SpaceId);
}

/// <summary>The body of <c>PATCH /api/rag/collections/{id}</c>: absent or <c>null</c> keeps a field, <c>""</c> clears description or spaceId.</summary>
internal sealed class PatchCollectionBody
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? SpaceId { get; set; }

    public string? EmbeddingModel { get; set; }

    public int? Dimensions { get; set; }

    public RagCollectionChanges ToChanges() => new(Name, Description, SpaceId, EmbeddingModel, Dimensions);
}

/// <summary>
/// The 202 of <c>PATCH /api/rag/collections/{id}</c> that starts a re-embedding: the collection as it is (still on its old
/// model, which answers searches until the swap) and the job, followed at <c>/api/rag/ingestions/{ingestionId}</c>.
/// </summary>
internal sealed record ReembeddingCollectionBody(
    string Id,
    string Name,
    string? Description,
    string? SpaceId,
    string EmbeddingModel,
    int Dimensions,
    long DocumentCount,
    long ChunkCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ReembeddingBody Reembedding)
{
    public static ReembeddingCollectionBody From(RagCollection collection, RagReembedding reembedding) => new(
        collection.Id, collection.Name, collection.Description, collection.SpaceId, collection.EmbeddingModel, collection.Dimensions,
        collection.DocumentCount, collection.ChunkCount, collection.CreatedAt, collection.UpdatedAt,
        new ReembeddingBody(reembedding.JobId, reembedding.EmbeddingModel, reembedding.Dimensions));
}

/// <summary>A re-embedding under way: its job (an ingestion of kind <c>rag.reembedding</c>) and the model and dimensions it moves the collection to.</summary>
internal sealed record ReembeddingBody(string IngestionId, string EmbeddingModel, int Dimensions);

/// <summary>The query of <c>GET /api/rag/collections</c>.</summary>
internal sealed record CollectionListParameters(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "spaceId")] string? SpaceId);

/// <summary>The body of <c>POST /api/rag/search</c>.</summary>
internal sealed class SearchBody
{
    public string? Query { get; set; }

    public IReadOnlyList<string>? CollectionIds { get; set; }

    public string? SpaceId { get; set; }

    public int? K { get; set; }

    public JsonElement? Filter { get; set; }

    public string? Mode { get; set; }

    public double? MinScore { get; set; }

    public RagSearchRequest ToRequest() => new(
        Query ?? throw GatewayException.InvalidField("query", "expected text to search for."),
        CollectionIds,
        SpaceId,
        K,
        MetadataFilterParser.Parse(Filter, "filter"),
        ParseMode(Mode),
        MinScore);

    private static RagSearchMode ParseMode(string? mode) => mode?.ToLowerInvariant() switch
    {
        null or "hybrid" => RagSearchMode.Hybrid,
        "vector" => RagSearchMode.Vector,
        "keyword" => RagSearchMode.Keyword,
        _ => throw GatewayException.InvalidField("mode", $"'{mode}' is not a search mode; expected vector, keyword or hybrid."),
    };
}

/// <summary>A chunk of a document as the documents endpoints show it (no vector; its metadata is the document's).</summary>
internal sealed record ChunkBody(string Id, int Ordinal, string Text, ChunkCitation Citation)
{
    public static ChunkBody From(RagChunk chunk) => new(chunk.Id, chunk.Ordinal, chunk.Text, chunk.Citation);
}

/// <summary>A document with its chunks.</summary>
internal sealed record DocumentBody(
    string Id,
    string CollectionId,
    string Name,
    string ContentHash,
    JsonElement Metadata,
    int ChunkCount,
    long CharacterCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ChunkBody> Chunks)
{
    public static DocumentBody From(RagDocument document, IReadOnlyList<RagChunk> chunks) => new(
        document.Id,
        document.CollectionId,
        document.Name,
        document.ContentHash,
        document.Metadata,
        document.ChunkCount,
        document.CharacterCount,
        document.CreatedAt,
        document.UpdatedAt,
        [.. chunks.Select(ChunkBody.From)]);
}

/// <summary>The query of <c>GET /api/rag/documents/{documentId}/text</c>: UTF-16 offsets, as a citation's <c>start</c> and <c>end</c>.</summary>
internal sealed record DocumentTextParameters(
    [FromQuery(Name = "start")] int? Start,
    [FromQuery(Name = "end")] int? End);

/// <summary>The answer of <c>GET /api/rag/documents/{documentId}/text</c>: characters <c>[start, end)</c> of the document's text, which is <c>length</c> long.</summary>
internal sealed record DocumentTextBody(string DocumentId, string CollectionId, string Name, int Start, int End, int Length, string Text)
{
    public static DocumentTextBody From(RagDocumentText range) => new(
        range.Document.Id, range.Document.CollectionId, range.Document.Name, range.Start, range.End, range.Length, range.Text);
}

/// <summary>One hit of <c>POST /api/rag/search</c>.</summary>
internal sealed record SearchHitBody(
    string ChunkId,
    string DocumentId,
    string DocumentName,
    string CollectionId,
    string Text,
    double Score,
    double? VectorScore,
    double? KeywordScore,
    JsonElement Metadata,
    ChunkCitation Citation)
{
    public static SearchHitBody From(RagSearchHit hit) => new(
        hit.Chunk.Id, hit.Chunk.DocumentId, hit.DocumentName, hit.Chunk.CollectionId, hit.Chunk.Text,
        hit.Score, hit.VectorScore, hit.KeywordScore, hit.Chunk.Metadata, hit.Chunk.Citation);
}

/// <summary>Where a search's time went: embedding the query, and the stores and ranking without it.</summary>
internal sealed record SearchTimingsBody(double QueryEmbeddingMilliseconds, double SearchMilliseconds);

/// <summary>The answer of <c>POST /api/rag/search</c>.</summary>
internal sealed record SearchResponseBody(IReadOnlyList<SearchHitBody> Hits, IReadOnlyList<string> CollectionIds, SearchTimingsBody Timings)
{
    public static SearchResponseBody From(RagSearchResult result) => new(
        [.. result.Hits.Select(SearchHitBody.From)],
        result.CollectionIds,
        new SearchTimingsBody(result.QueryEmbeddingTime.TotalMilliseconds, result.SearchTime.TotalMilliseconds));
}

/// <summary>The answer of <c>GET /api/spaces/{id}/collections</c>.</summary>
internal sealed record SpaceCollectionsBody(IReadOnlyList<RagCollection> Items);
