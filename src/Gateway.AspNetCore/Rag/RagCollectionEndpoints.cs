using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using Gateway.Rag;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.Rag;

/// <summary>
/// <c>/api/rag</c>: collections (create, list, read, change — a new model for one that holds documents answers 202 and
/// re-embeds it in a job —, delete), their documents (read, list, delete; adding them is an ingestion,
/// <see cref="RagIngestionEndpoints"/>), a range of a document's text by the document's id alone
/// (<c>/api/rag/documents/{id}/text</c>, what a citation points into), search, and
/// the links of collections to spaces (<c>/api/spaces/{id}/collections</c>). Thin handlers over <see cref="RagService"/>.
/// </summary>
internal static class RagCollectionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var collections = api.MapGroup("/api/rag/collections").WithTags("RAG");
        collections.MapPost(string.Empty, CreateAsync).WithName("CreateRagCollection")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidRequest, GatewayErrorCodes.EmbeddingModelMismatch)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.EmbeddingModelNotFound, GatewayErrorCodes.SpaceNotFound)
            .ProducesGatewayError(StatusCodes.Status409Conflict, GatewayErrorCodes.CollectionNameTaken);
        collections.MapGet(string.Empty, ListAsync).WithName("ListRagCollections")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidCursor, GatewayErrorCodes.InvalidRequest);
        collections.MapGet("/{collectionId}", GetAsync).WithName("GetRagCollection")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.CollectionNotFound);
        collections.MapPatch("/{collectionId}", UpdateAsync).WithName("UpdateRagCollection")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidRequest, GatewayErrorCodes.EmbeddingModelMismatch)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.CollectionNotFound, GatewayErrorCodes.EmbeddingModelNotFound, GatewayErrorCodes.SpaceNotFound)
            .ProducesGatewayError(
                StatusCodes.Status409Conflict, GatewayErrorCodes.CollectionNameTaken, GatewayErrorCodes.ReembeddingInProgress, GatewayErrorCodes.EmbeddingModelLocked);
        collections.MapDelete("/{collectionId}", DeleteAsync).WithName("DeleteRagCollection")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.CollectionNotFound);

        collections.MapGet("/{collectionId}/documents", ListDocumentsAsync).WithName("ListRagDocuments")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidCursor, GatewayErrorCodes.InvalidRequest)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.CollectionNotFound);
        collections.MapGet("/{collectionId}/documents/{documentId}", GetDocumentAsync).WithName("GetRagDocument")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.CollectionNotFound, GatewayErrorCodes.DocumentNotFound);
        collections.MapDelete("/{collectionId}/documents/{documentId}", DeleteDocumentAsync).WithName("DeleteRagDocument")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.CollectionNotFound, GatewayErrorCodes.DocumentNotFound);

        api.MapGet("/api/rag/documents/{documentId}/text", GetDocumentTextAsync).WithName("GetRagDocumentText").WithTags("RAG")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidRequest)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.DocumentNotFound, GatewayErrorCodes.DocumentTextUnavailable);

        RagIngestionEndpoints.Map(api);

        api.MapPost("/api/rag/search", SearchAsync).WithName("SearchRag").WithTags("RAG")
            .ProducesGatewayError(
                StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidRequest, GatewayErrorCodes.InvalidFilter, GatewayErrorCodes.EmbeddingModelMismatch,
                GatewayErrorCodes.EmbeddingInputTooLong)
            .ProducesGatewayError(
                StatusCodes.Status404NotFound, GatewayErrorCodes.CollectionNotFound, GatewayErrorCodes.SpaceNotFound, GatewayErrorCodes.EmbeddingModelNotFound);

        var spaces = api.MapGroup("/api/spaces/{spaceId}/collections").WithTags("Spaces");
        spaces.MapGet(string.Empty, ListSpaceCollectionsAsync).WithName("ListSpaceCollections")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound);
        spaces.MapPut("/{collectionId}", LinkAsync).WithName("LinkSpaceCollection")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound, GatewayErrorCodes.CollectionNotFound);
        spaces.MapDelete("/{collectionId}", UnlinkAsync).WithName("UnlinkSpaceCollection")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound, GatewayErrorCodes.CollectionNotFound);
    }

    private static async Task<Created<RagCollection>> CreateAsync(
        [FromBody] CreateCollectionBody body, [FromServices] RagService rag, CancellationToken cancellationToken)
    {
        var collection = await rag.CreateCollectionAsync(body.ToCollection(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/rag/collections/{collection.Id}", collection);
    }

    private static async Task<Ok<Page<RagCollection>>> ListAsync(
        [AsParameters] CollectionListParameters query, [FromServices] RagService rag, CancellationToken cancellationToken)
    {
        var page = new PageParameters(query.Limit, query.Cursor);
        var spaceId = string.IsNullOrEmpty(query.SpaceId) ? null : query.SpaceId;
        return TypedResults.Ok(await rag.Collections.ListCollectionsAsync(
            new RagCollectionQuery(page.LimitOrDefault, page.CursorOrNull, spaceId), cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Ok<RagCollection>> GetAsync(string collectionId, [FromServices] RagService rag, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rag.GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false));

    // A new model for a collection that holds documents starts a re-embedding job: 202, with the job to follow.
    private static async Task<Results<Ok<RagCollection>, Accepted<ReembeddingCollectionBody>>> UpdateAsync(
        string collectionId, [FromBody] PatchCollectionBody body, [FromServices] RagService rag, CancellationToken cancellationToken)
    {
        var update = await rag.UpdateCollectionAsync(collectionId, body.ToChanges(), cancellationToken).ConfigureAwait(false);
        return update.Reembedding is { } reembedding
            ? TypedResults.Accepted($"/api/rag/ingestions/{reembedding.JobId}", ReembeddingCollectionBody.From(update.Collection, reembedding))
            : TypedResults.Ok(update.Collection);
    }

    private static async Task<NoContent> DeleteAsync(string collectionId, [FromServices] RagService rag, CancellationToken cancellationToken)
    {
        await rag.DeleteCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Page<RagDocument>>> ListDocumentsAsync(
        string collectionId, [AsParameters] PageParameters page, [FromServices] RagService rag, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rag.Collections.ListDocumentsAsync(
            collectionId, new RagDocumentQuery(page.LimitOrDefault, page.CursorOrNull), cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<DocumentBody>> GetDocumentAsync(
        string collectionId, string documentId, [FromServices] RagService rag, CancellationToken cancellationToken)
    {
        var document = await rag.GetDocumentAsync(collectionId, documentId, cancellationToken).ConfigureAwait(false);
        var chunks = await rag.Collections.ListDocumentChunksAsync(collectionId, documentId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(DocumentBody.From(document, chunks));
    }

    private static async Task<NoContent> DeleteDocumentAsync(
        string collectionId, string documentId, [FromServices] RagService rag, CancellationToken cancellationToken)
    {
        await rag.DeleteDocumentAsync(collectionId, documentId, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<DocumentTextBody>> GetDocumentTextAsync(
        string documentId, [AsParameters] DocumentTextParameters range, [FromServices] RagService rag, CancellationToken cancellationToken) =>
        TypedResults.Ok(DocumentTextBody.From(await rag.ReadDocumentTextAsync(documentId, range.Start, range.End, cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<SearchResponseBody>> SearchAsync(
        [FromBody] SearchBody body, [FromServices] RagService rag, CancellationToken cancellationToken) =>
        TypedResults.Ok(SearchResponseBody.From(await rag.SearchAsync(body.ToRequest(), cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<SpaceCollectionsBody>> ListSpaceCollectionsAsync(
        string spaceId, [FromServices] RagService rag, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SpaceCollectionsBody(await rag.ListSpaceCollectionsAsync(spaceId, cancellationToken).ConfigureAwait(false)));

    private static async Task<NoContent> LinkAsync(
        string spaceId, string collectionId, [FromServices] RagService rag, CancellationToken cancellationToken)
    {
        await rag.LinkCollectionAsync(spaceId, collectionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnlinkAsync(
        string spaceId, string collectionId, [FromServices] RagService rag, CancellationToken cancellationToken)
    {
        await rag.UnlinkCollectionAsync(spaceId, collectionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
