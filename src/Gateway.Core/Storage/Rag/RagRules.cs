using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;

namespace Gateway.Core.Storage.Rag;

/// <summary>What collections, documents and chunks may hold, checked the same way by every store, and the RAG errors.</summary>
public static class RagRules
{
    /// <summary>The most dimensions a collection's vectors may have (the most a pgvector HNSW index takes).</summary>
    public const int MaxDimensions = 2_000;

    /// <summary>The most hits one search may ask for.</summary>
    public const int MaxK = 200;

    /// <summary>The longest description, in characters.</summary>
    public const int MaxDescriptionLength = 10_000;

    /// <summary>The longest embedding model name and document name, in characters.</summary>
    public const int MaxNameLength = 500;

    /// <summary>The longest chunk key a caller may choose, in characters.</summary>
    public const int MaxChunkIdLength = 200;

    /// <summary>The most characters of a document's stored text one read returns (<see cref="IRagCollectionStore.ReadDocumentTextAsync"/>).</summary>
    public const int MaxTextRangeLength = 100_000;

    private const int HashSliceCharacters = 16_384;

    /// <summary>Checks every field of <paramref name="definition"/>.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad field, or <see cref="GatewayErrorCodes.SpaceNotFound"/>.</exception>
    public static void Validate(RagCollectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ModelProfileRules.ValidateName(definition.Name, "name");
        if (string.IsNullOrWhiteSpace(definition.EmbeddingModel) || definition.EmbeddingModel.Length > MaxNameLength)
        {
            throw GatewayException.InvalidField("embeddingModel", $"expected the name of an embedding model, 1 to {MaxNameLength} characters.");
        }

        if (definition.Dimensions is < 1 or > MaxDimensions)
        {
            throw GatewayException.InvalidField("dimensions", $"expected 1 to {MaxDimensions}.");
        }

        if (definition.Description is { Length: > MaxDescriptionLength })
        {
            throw GatewayException.InvalidField("description", $"expected at most {MaxDescriptionLength} characters.");
        }

        ModelProfileRules.CheckStorableText(definition.Description, "description");
        if (definition.SpaceId is { } spaceId && !SortableId.IsWellFormed(spaceId))
        {
            throw Spaces.SpaceRules.SpaceNotFound(spaceId);
        }
    }

    /// <summary>Checks a re-embedding of <paramref name="collection"/>: a model name, its dimensions, a job, and not the collection's model already.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the bad field.</exception>
    public static void Validate(RagReembeddingDefinition definition, RagCollection collection)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(collection);
        Validate(new RagCollectionDefinition(collection.Name, definition.EmbeddingModel, definition.Dimensions));
        if (string.IsNullOrWhiteSpace(definition.JobId))
        {
            throw GatewayException.InvalidField("jobId", "expected the id of the job that re-embeds the collection.");
        }

        if (string.Equals(definition.EmbeddingModel, collection.EmbeddingModel, StringComparison.OrdinalIgnoreCase) && definition.Dimensions == collection.Dimensions)
        {
            throw GatewayException.InvalidField("embeddingModel", $"collection '{collection.Id}' is embedded with '{collection.EmbeddingModel}' already.");
        }
    }

    /// <summary>Checks a document write against a collection of <paramref name="dimensions"/>: its name, metadata, chunks and every vector's length.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the bad field, or <see cref="GatewayErrorCodes.EmbeddingModelMismatch"/>.</exception>
    public static void Validate(RagDocumentWrite document, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(document);
        ValidateDocumentName(document.Name);
        if (document.ContentHash is not { Length: 64 } || !document.ContentHash.All(char.IsAsciiHexDigitLower))
        {
            throw GatewayException.InvalidField("contentHash", "expected the lowercase hex SHA-256 of the text.");
        }

        ConversationStoreRules.MetadataText(document.Metadata);
        if (document.Text is { } text && text.Length != document.CharacterCount)
        {
            throw GatewayException.InvalidField("text", $"its {text.Length} characters are not the characterCount of {document.CharacterCount}.");
        }

        for (var i = 0; i < document.Chunks.Count; i++)
        {
            var chunk = document.Chunks[i];
            ModelProfileRules.CheckStorableText(chunk.Text, $"chunks[{i}].text");
            CheckVector(chunk.Vector.Span, dimensions, $"chunks[{i}].vector");
        }
    }

    /// <summary>Checks a document name: 1 to <see cref="MaxNameLength"/> characters of storable text.</summary>
    public static void ValidateDocumentName(string? name, string field = "name")
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw GatewayException.InvalidField(field, $"expected 1 to {MaxNameLength} characters.");
        }

        ModelProfileRules.CheckStorableText(name, field);
    }

    /// <summary>Checks a chunk record written by key.</summary>
    public static void Validate(RagChunkUpsert chunk, int dimensions, string field = "chunk")
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (string.IsNullOrEmpty(chunk.Id) || chunk.Id.Length > MaxChunkIdLength)
        {
            throw GatewayException.InvalidField($"{field}.id", $"expected 1 to {MaxChunkIdLength} characters.");
        }

        ModelProfileRules.CheckStorableText(chunk.Text, $"{field}.text");
        ConversationStoreRules.MetadataText(chunk.Metadata, $"{field}.metadata");
        CheckVector(chunk.Vector.Span, dimensions, $"{field}.vector");
    }

    /// <summary>Checks a search's collections (at least one) and k (1 to <see cref="MaxK"/>).</summary>
    public static void ValidateSearch(IReadOnlyList<string> collectionIds, int k)
    {
        ArgumentNullException.ThrowIfNull(collectionIds);
        if (collectionIds.Count == 0)
        {
            throw GatewayException.InvalidField("collectionIds", "expected at least one collection.");
        }

        if (k is < 1 or > MaxK)
        {
            throw GatewayException.InvalidField("k", $"expected 1 to {MaxK}.");
        }
    }

    /// <summary>Checks that <paramref name="vector"/> has <paramref name="dimensions"/> finite components and is not all zero.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.EmbeddingModelMismatch"/> for another length; <see cref="GatewayErrorCodes.InvalidRequest"/> otherwise.</exception>
    public static void CheckVector(ReadOnlySpan<float> vector, int dimensions, string field)
    {
        if (vector.Length != dimensions)
        {
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.EmbeddingModelMismatch,
                $"{field}: the collection holds vectors of {dimensions} dimensions; this one has {vector.Length}.",
                new Dictionary<string, object?> { ["field"] = field, ["expectedDimensions"] = dimensions, ["dimensions"] = vector.Length });
        }

        var allZero = true;
        foreach (var component in vector)
        {
            if (!float.IsFinite(component))
            {
                throw GatewayException.InvalidField(field, "every component must be a finite number.");
            }

            allZero &= component == 0;
        }

        if (allZero)
        {
            throw GatewayException.InvalidField(field, "a vector of only zeros has no direction to compare.");
        }
    }

    /// <summary>
    /// The range a read of a stored text of <paramref name="length"/> characters returns: from <paramref name="start"/> to
    /// <paramref name="end"/>, or, without an end, to the text's end but at most <see cref="MaxTextRangeLength"/> characters.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming <c>start</c> or <c>end</c>.</exception>
    public static (int Start, int End) TextRange(int start, int? end, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (start < 0 || start > length)
        {
            throw GatewayException.InvalidField("start", $"expected an offset from 0 to {length}, the length of the document's text.");
        }

        var last = end ?? (int)Math.Min(length, (long)start + MaxTextRangeLength);
        if (last < start || last > length)
        {
            throw GatewayException.InvalidField("end", $"expected an offset from start ({start}) to {length}, the length of the document's text.");
        }

        return last - start > MaxTextRangeLength
            ? throw GatewayException.InvalidField("end", $"one read returns at most {MaxTextRangeLength} characters; ask for {start} to {start + MaxTextRangeLength} and go on from there.")
            : (start, last);
    }

    /// <summary>The lowercase hex SHA-256 of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string ContentHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Encoded and hashed a slice at a time: a document of millions of characters is never copied whole as UTF-8.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var encoder = Encoding.UTF8.GetEncoder();
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(HashSliceCharacters));
        try
        {
            var rest = text.AsSpan();
            do
            {
                var slice = rest[..Math.Min(rest.Length, HashSliceCharacters)];
                rest = rest[slice.Length..];
                hash.AppendData(buffer, 0, encoder.GetBytes(slice, buffer, flush: rest.IsEmpty));
            }
            while (!rest.IsEmpty);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The 404 for a collection id nothing is stored under; <paramref name="field"/> names where the id came from.</summary>
    public static GatewayException CollectionNotFound(string collectionId, string field = "collectionId") => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.CollectionNotFound,
        $"{field}: no collection has the id '{collectionId}'.",
        new Dictionary<string, object?> { ["collectionId"] = collectionId, ["field"] = field });

    /// <summary>The 404 for a document id the collection does not hold.</summary>
    public static GatewayException DocumentNotFound(string collectionId, string documentId, string field = "documentId") => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.DocumentNotFound,
        $"{field}: collection '{collectionId}' has no document with the id '{documentId}'.",
        new Dictionary<string, object?> { ["collectionId"] = collectionId, ["documentId"] = documentId, ["field"] = field });

    /// <summary>The 404 for a document id no collection holds, when the caller named no collection.</summary>
    public static GatewayException DocumentIdNotFound(string documentId) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.DocumentNotFound,
        $"documentId: no collection has a document with the id '{documentId}'.",
        new Dictionary<string, object?> { ["documentId"] = documentId, ["field"] = "documentId" });

    /// <summary>The 404 for a document whose text was not stored (it was written before documents' text was kept).</summary>
    public static GatewayException DocumentTextUnavailable(RagDocument document) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.DocumentTextUnavailable,
        $"documentId: document '{document.Id}' ('{document.Name}') was written before the gateway kept documents' text; add it again to store its text.",
        new Dictionary<string, object?> { ["documentId"] = document.Id, ["collectionId"] = document.CollectionId, ["field"] = "documentId" });

    /// <summary>The 409 for a collection name another collection has.</summary>
    public static GatewayException NameTaken(string name) => new(
        GatewayErrorKind.Conflict,
        GatewayErrorCodes.CollectionNameTaken,
        $"name: another collection is already named '{name}' (names are unique, ignoring case).",
        new Dictionary<string, object?> { ["name"] = name, ["field"] = "name" });

    /// <summary>The 409 for changing the embedding model or dimensions of a collection that holds documents.</summary>
    public static GatewayException EmbeddingModelLocked(RagCollection collection) => new(
        GatewayErrorKind.Conflict,
        GatewayErrorCodes.EmbeddingModelLocked,
        $"embeddingModel: collection '{collection.Id}' holds {collection.DocumentCount} documents embedded with '{collection.EmbeddingModel}' ({collection.Dimensions} dimensions); delete them before changing the model.",
        new Dictionary<string, object?>
        {
            ["collectionId"] = collection.Id,
            ["embeddingModel"] = collection.EmbeddingModel,
            ["dimensions"] = collection.Dimensions,
            ["documentCount"] = collection.DocumentCount,
            ["field"] = "embeddingModel",
        });

    /// <summary>The 409 for re-embedding a collection that another job is re-embedding.</summary>
    public static GatewayException ReembeddingInProgress(RagReembedding reembedding) => new(
        GatewayErrorKind.Conflict,
        GatewayErrorCodes.ReembeddingInProgress,
        $"embeddingModel: collection '{reembedding.CollectionId}' is being re-embedded with '{reembedding.EmbeddingModel}' by job '{reembedding.JobId}'; wait for it, or cancel it first.",
        new Dictionary<string, object?>
        {
            ["collectionId"] = reembedding.CollectionId,
            ["embeddingModel"] = reembedding.EmbeddingModel,
            ["jobId"] = reembedding.JobId,
            ["field"] = "embeddingModel",
        });

    /// <summary>The 404 for a job writing to a re-embedding it does not own (cancelled, or replaced by another).</summary>
    public static GatewayException ReembeddingNotFound(string collectionId, string jobId) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.ReembeddingNotFound,
        $"collection '{collectionId}' has no re-embedding run by job '{jobId}': it was cancelled or replaced.",
        new Dictionary<string, object?> { ["collectionId"] = collectionId, ["jobId"] = jobId });

    /// <summary>The 400 for an embedding model that is not the collection's.</summary>
    public static GatewayException EmbeddingModelMismatch(RagCollection collection, string model, string field = "embeddingModel") => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.EmbeddingModelMismatch,
        $"{field}: collection '{collection.Id}' is bound to '{collection.EmbeddingModel}' ({collection.Dimensions} dimensions), not '{model}'.",
        new Dictionary<string, object?>
        {
            ["collectionId"] = collection.Id,
            ["embeddingModel"] = collection.EmbeddingModel,
            ["dimensions"] = collection.Dimensions,
            ["field"] = field,
        });

    /// <summary>The 400 for a filter clause that cannot be read; <paramref name="path"/> is where it sits, e.g. <c>filter.$or[1].year.$gte</c>.</summary>
    public static GatewayException InvalidFilter(string path, string problem) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.InvalidFilter,
        $"{path}: {problem}",
        new Dictionary<string, object?> { ["path"] = path, ["field"] = path });
}
