using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Core.Embeddings;
using Gateway.Core.Jobs;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Rag;
using Gateway.Onnx.Embeddings;
using Gateway.Rag;
using Gateway.Rag.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;

namespace Gateway.AspNetCore.Tests.Rag;

/// <summary>
/// <c>/api/rag/**</c> end to end: a gateway on loopback with SQLite storage, the bundled all-MiniLM-L6-v2
/// (also served a second time as <c>other</c>, to have two models) and <c>AddRag()</c>.
/// </summary>
public sealed class RagEndpointTests : GatewayFixture
{
    private const string Unknown = "0190a000-0000-7000-8000-000000000000";

    private const string Handbook = """
        # Leave

        Every employee has twenty-five days of paid leave a year. Unused days carry over until March.

        ## Sick leave

        Tell your manager on the first morning you are ill. From the fourth day a doctor's note is needed.

        # Expenses

        Travel is booked through the portal; receipts are uploaded within thirty days.
        """;

    [Fact]
    public async Task Collection_CreateReadPatchListDelete_RoundTrips()
    {
        var gateway = await StartRagGatewayAsync();

        using var created = await gateway.Client.PostAsync("api/rag/collections", Json("""{"name":"Handbook","description":"HR"}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var collection = await ReadJsonAsync(created);
        var id = collection.GetProperty("id").GetString()!;
        Assert.Equal($"/api/rag/collections/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(
            ["id", "name", "description", "spaceId", "embeddingModel", "dimensions", "documentCount", "chunkCount", "createdAt", "updatedAt"],
            collection.EnumerateObject().Select(p => p.Name));
        Assert.Equal("all-MiniLM-L6-v2", collection.GetProperty("embeddingModel").GetString());
        Assert.Equal(384, collection.GetProperty("dimensions").GetInt32());
        Assert.Equal(0, collection.GetProperty("documentCount").GetInt64());

        var read = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{id}"));
        Assert.Equal("HR", read.GetProperty("description").GetString());
        var patched = await ReadJsonAsync(await gateway.Client.PatchAsync($"api/rag/collections/{id}", Json("""{"name":"Staff handbook","description":""}""")));
        Assert.Equal("Staff handbook", patched.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("description").ValueKind);
        Assert.Equal("all-MiniLM-L6-v2", patched.GetProperty("embeddingModel").GetString());

        var listed = await ReadJsonAsync(await gateway.Client.GetAsync("api/rag/collections?limit=10"));
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.DeleteAsync($"api/rag/collections/{id}")).StatusCode);
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/collections/{id}"), HttpStatusCode.NotFound, "collection_not_found");
        await AssertProblemAsync(await gateway.Client.DeleteAsync($"api/rag/collections/{id}"), HttpStatusCode.NotFound, "collection_not_found");
    }

    [Fact]
    public async Task Document_AddAgainAndChanged_IsCreatedUnchangedThenReplacedWithCitedChunks()
    {
        var gateway = await StartRagGatewayAsync(("RAG_CHUNK_TOKENS", "32"), ("RAG_CHUNK_OVERLAP_TOKENS", "4"));
        var collectionId = await CreateCollectionAsync(gateway, "Handbook");
        var body = JsonSerializer.Serialize(new { name = "handbook.md", text = Handbook, metadata = new { lang = "en" } });

        var created = await IngestAsync(gateway, collectionId, body);

        var documentId = Assert.Single((await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents"))).GetProperty("items").EnumerateArray())
            .GetProperty("id").GetString()!;
        var document = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents/{documentId}"));
        Assert.Equal(Handbook.Length, document.GetProperty("characterCount").GetInt64());
        Assert.Equal("en", document.GetProperty("metadata").GetProperty("lang").GetString());
        var chunks = document.GetProperty("chunks").EnumerateArray().ToArray();
        Assert.True(chunks.Length >= 3);
        Assert.Equal(chunks.Length, document.GetProperty("chunkCount").GetInt32());
        Assert.Equal((1, 1, 0, chunks.Length), Counts(created));
        foreach (var chunk in chunks)
        {
            var citation = chunk.GetProperty("citation");
            Assert.Equal(Handbook[citation.GetProperty("start").GetInt32()..citation.GetProperty("end").GetInt32()], chunk.GetProperty("text").GetString());
        }

        Assert.Equal("Leave", chunks[0].GetProperty("citation").GetProperty("headingPath").GetString());
        Assert.Contains(chunks, chunk => chunk.GetProperty("citation").GetProperty("headingPath").GetString() == "Leave > Sick leave");
        Assert.Equal("Expenses", chunks[^1].GetProperty("citation").GetProperty("headingPath").GetString());

        var again = await IngestAsync(gateway, collectionId, body);
        Assert.Equal((1, 1, 1, 0), Counts(again));
        var unchanged = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents/{documentId}"));
        Assert.Equal(chunks.Select(c => c.GetProperty("id").GetString()), unchanged.GetProperty("chunks").EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        var changedText = Handbook.Replace("twenty-five", "thirty", StringComparison.Ordinal);
        var changed = await IngestAsync(gateway, collectionId, JsonSerializer.Serialize(new { name = "handbook.md", text = changedText }));
        Assert.Equal(0, changed.GetProperty("documentsSkipped").GetInt32());
        var replaced = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents/{documentId}"));
        Assert.Contains(replaced.GetProperty("chunks").EnumerateArray(), c => c.GetProperty("text").GetString()!.Contains("thirty days of paid leave", StringComparison.Ordinal));

        var read = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents/{documentId}"));
        Assert.False(read.TryGetProperty("outcome", out _));
        Assert.Equal(replaced.GetProperty("chunks").GetArrayLength(), read.GetProperty("chunks").GetArrayLength());
        var page = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents?limit=1"));
        Assert.Equal(documentId, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var collection = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}"));
        Assert.Equal(1, collection.GetProperty("documentCount").GetInt64());
        Assert.Equal(replaced.GetProperty("chunks").GetArrayLength(), collection.GetProperty("chunkCount").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.DeleteAsync($"api/rag/collections/{collectionId}/documents/{documentId}")).StatusCode);
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents/{documentId}"), HttpStatusCode.NotFound, "document_not_found");
        await AssertProblemAsync(await gateway.Client.DeleteAsync($"api/rag/collections/{collectionId}/documents/{documentId}"), HttpStatusCode.NotFound, "document_not_found");
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/collections/{Unknown}/documents/{documentId}"), HttpStatusCode.NotFound, "collection_not_found");
    }

    [Fact]
    public async Task Search_EachModeWithFilters_RanksAndScoresAsDocumented()
    {
        var gateway = await StartRagGatewayAsync();
        var collectionId = await CreateCollectionAsync(gateway, "Notes");
        await AddDocumentAsync(gateway, collectionId, "cats.txt", "A small kitten sleeps curled up on the warm sofa all afternoon.", """{"lang":"en","year":2020,"tags":["pets"]}""");
        await AddDocumentAsync(gateway, collectionId, "stocks.txt", "The company raised its quarterly dividend and its shares rallied on the stock exchange.", """{"lang":"en","year":2023}""");
        await AddDocumentAsync(gateway, collectionId, "chats.txt", "Le chat noir dort sur le canapé pendant que la pluie tombe.", """{"lang":"fr","year":2024,"tags":["pets"]}""");

        var vector = await SearchAsync(gateway, $$"""{"query":"a cat napping on the couch","collectionIds":["{{collectionId}}"],"mode":"vector","k":3}""");
        var vectorHits = vector.GetProperty("hits").EnumerateArray().ToArray();
        Assert.Equal("cats.txt", vectorHits[0].GetProperty("documentName").GetString());
        Assert.Equal(3, vectorHits.Length);
        Assert.All(vectorHits, hit => Assert.Equal(hit.GetProperty("score").GetDouble(), hit.GetProperty("vectorScore").GetDouble()));
        Assert.All(vectorHits, hit => Assert.Equal(JsonValueKind.Null, hit.GetProperty("keywordScore").ValueKind));
        Assert.True(vectorHits[0].GetProperty("score").GetDouble() > vectorHits[1].GetProperty("score").GetDouble());
        Assert.Equal(
            ["chunkId", "documentId", "documentName", "collectionId", "text", "score", "vectorScore", "keywordScore", "metadata", "citation"],
            vectorHits[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(2020, vectorHits[0].GetProperty("metadata").GetProperty("year").GetInt32());
        Assert.True(vector.GetProperty("timings").GetProperty("queryEmbeddingMilliseconds").GetDouble() > 0);

        var keyword = await SearchAsync(gateway, $$"""{"query":"dividend","collectionIds":["{{collectionId}}"],"mode":"keyword"}""");
        var keywordHit = Assert.Single(keyword.GetProperty("hits").EnumerateArray());
        Assert.Equal("stocks.txt", keywordHit.GetProperty("documentName").GetString());
        Assert.Equal(keywordHit.GetProperty("score").GetDouble(), keywordHit.GetProperty("keywordScore").GetDouble());
        Assert.Equal(JsonValueKind.Null, keywordHit.GetProperty("vectorScore").ValueKind);
        Assert.Equal(0, keyword.GetProperty("timings").GetProperty("queryEmbeddingMilliseconds").GetDouble());

        // Hybrid: the keyword match and the vector ranking fuse; every hit has its cosine similarity.
        var hybrid = await SearchAsync(gateway, $$"""{"query":"dividend shares","collectionIds":["{{collectionId}}"],"k":3}""");
        var hybridHits = hybrid.GetProperty("hits").EnumerateArray().ToArray();
        Assert.Equal("stocks.txt", hybridHits[0].GetProperty("documentName").GetString());
        Assert.Equal((1.0 / 61) + (1.0 / 61), hybridHits[0].GetProperty("score").GetDouble(), 9);
        Assert.All(hybridHits, hit => Assert.Equal(JsonValueKind.Number, hit.GetProperty("vectorScore").ValueKind));
        Assert.Equal(JsonValueKind.Number, hybridHits[0].GetProperty("keywordScore").ValueKind);
        Assert.Equal(1.0 / 62, hybridHits[1].GetProperty("score").GetDouble(), 9);

        var french = await SearchAsync(gateway, $$$"""{"query":"cat","collectionIds":["{{{collectionId}}}"],"filter":{"lang":"fr"}}""");
        Assert.Equal(["chats.txt"], french.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("documentName").GetString()));
        var recent = await SearchAsync(gateway, $$$$"""{"query":"cat","collectionIds":["{{{{collectionId}}}}"],"mode":"vector","filter":{"year":{"$gte":2023},"tags":{"$in":["pets"]}}}""");
        Assert.Equal(["chats.txt"], recent.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("documentName").GetString()));
        var either = await SearchAsync(gateway, $$$"""{"query":"cat","collectionIds":["{{{collectionId}}}"],"mode":"vector","filter":{"$or":[{"year":2020},{"lang":{"$ne":"en"}}]}}""");
        Assert.Equal(["cats.txt", "chats.txt"], either.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("documentName").GetString()).Order());

        // minScore is a cosine similarity, applied to both rankings of a hybrid search.
        var close = await SearchAsync(gateway, $$"""{"query":"a cat napping on the couch","collectionIds":["{{collectionId}}"],"minScore":0.3}""");
        var closeHits = close.GetProperty("hits").EnumerateArray().ToArray();
        Assert.NotEmpty(closeHits);
        Assert.All(closeHits, hit => Assert.True(hit.GetProperty("vectorScore").GetDouble() >= 0.3));
        Assert.DoesNotContain(closeHits, hit => hit.GetProperty("documentName").GetString() == "stocks.txt");
    }

    [Fact]
    public async Task Search_SpaceLinkedCollections_AreSearchedAndLinksCanBeRemoved()
    {
        var gateway = await StartRagGatewayAsync();
        var spaceId = (await ReadJsonAsync(await gateway.Client.PostAsync("api/spaces", Json("""{"name":"HR"}""")))).GetProperty("id").GetString();
        var collectionId = await CreateCollectionAsync(gateway, "Handbook");
        await AddDocumentAsync(gateway, collectionId, "leave.md", Handbook, null);

        var none = await SearchAsync(gateway, $$"""{"query":"paid leave","spaceId":"{{spaceId}}"}""");
        Assert.Empty(none.GetProperty("hits").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.PutAsync($"api/spaces/{spaceId}/collections/{collectionId}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.PutAsync($"api/spaces/{spaceId}/collections/{collectionId}", null)).StatusCode);
        var linked = await ReadJsonAsync(await gateway.Client.GetAsync($"api/spaces/{spaceId}/collections"));
        Assert.Equal(collectionId, Assert.Single(linked.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var found = await SearchAsync(gateway, $$"""{"query":"paid leave","spaceId":"{{spaceId}}"}""");
        Assert.Equal([collectionId], found.GetProperty("collectionIds").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("paid leave", found.GetProperty("hits")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.DeleteAsync($"api/spaces/{spaceId}/collections/{collectionId}")).StatusCode);
        await AssertProblemAsync(await gateway.Client.DeleteAsync($"api/spaces/{spaceId}/collections/{collectionId}"), HttpStatusCode.NotFound, "collection_not_found");
        await AssertProblemAsync(await gateway.Client.PutAsync($"api/spaces/{spaceId}/collections/{Unknown}", null), HttpStatusCode.NotFound, "collection_not_found");
        await AssertProblemAsync(await gateway.Client.PutAsync($"api/spaces/{Unknown}/collections/{collectionId}", null), HttpStatusCode.NotFound, "space_not_found");
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/spaces/{Unknown}/collections"), HttpStatusCode.NotFound, "space_not_found");
        await AssertProblemAsync(await gateway.Client.PostAsync("api/rag/search", Json($$"""{"query":"x","spaceId":"{{Unknown}}"}""")), HttpStatusCode.NotFound, "space_not_found");
    }

    [Fact]
    public async Task Errors_EveryRagCode_IsProblemJsonWithItsStatus()
    {
        var gateway = await StartRagGatewayAsync();
        var collectionId = await CreateCollectionAsync(gateway, "Handbook");
        var otherId = (await ReadJsonAsync(await gateway.Client.PostAsync("api/rag/collections", Json("""{"name":"Other","embeddingModel":"other"}""")))).GetProperty("id").GetString();

        await AssertProblemAsync(await gateway.Client.PostAsync("api/rag/collections", Json("""{"name":"handbook"}""")), HttpStatusCode.Conflict, "collection_name_taken");
        await AssertProblemAsync(await gateway.Client.PostAsync("api/rag/collections", Json("""{"name":"B","dimensions":768}""")), HttpStatusCode.BadRequest, "embedding_model_mismatch");
        await AssertProblemAsync(await gateway.Client.PostAsync("api/rag/collections", Json("""{"name":"C","embeddingModel":"nope"}""")), HttpStatusCode.NotFound, "embedding_model_not_found");
        await AssertProblemAsync(await gateway.Client.PostAsync("api/rag/collections", Json("""{"description":"no name"}""")), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/collections/{Unknown}"), HttpStatusCode.NotFound, "collection_not_found");
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/collections/{Unknown}/documents"), HttpStatusCode.NotFound, "collection_not_found");
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents/{Unknown}"), HttpStatusCode.NotFound, "document_not_found");
        await AssertProblemAsync(
            await gateway.Client.PostAsync($"api/rag/collections/{Unknown}/documents", Json("""{"name":"a","text":"b"}""")), HttpStatusCode.NotFound, "collection_not_found");
        await AssertProblemAsync(
            await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents", Json("""{"name":"a","text":"  "}""")), HttpStatusCode.BadRequest, "invalid_request");

        // The model of an empty collection changes at once (one that holds documents is re-embedded: see below); an unknown one is refused before anything starts.
        var switched = await ReadJsonAsync(await gateway.Client.PatchAsync($"api/rag/collections/{otherId}", Json("""{"embeddingModel":"all-MiniLM-L6-v2"}""")));
        Assert.Equal("all-MiniLM-L6-v2", switched.GetProperty("embeddingModel").GetString());
        await AddDocumentAsync(gateway, collectionId, "a.txt", "Some words to index.", null);
        await AssertProblemAsync(
            await gateway.Client.PatchAsync($"api/rag/collections/{collectionId}", Json("""{"embeddingModel":"nope"}""")), HttpStatusCode.NotFound, "embedding_model_not_found");
        await AssertProblemAsync(
            await gateway.Client.PatchAsync($"api/rag/collections/{collectionId}", Json("""{"dimensions":512}""")), HttpStatusCode.BadRequest, "embedding_model_mismatch");

        var thirdId = (await ReadJsonAsync(await gateway.Client.PostAsync("api/rag/collections", Json("""{"name":"Third","embeddingModel":"other"}""")))).GetProperty("id").GetString();
        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/rag/search", Json($$"""{"query":"words","collectionIds":["{{collectionId}}","{{thirdId}}"]}""")),
            HttpStatusCode.BadRequest, "embedding_model_mismatch");
        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/rag/search", Json($$"""{"query":"words","collectionIds":["{{Unknown}}"]}""")), HttpStatusCode.NotFound, "collection_not_found");
        using var badFilter = await gateway.Client.PostAsync("api/rag/search", Json($$$"""{"query":"words","collectionIds":["{{{collectionId}}}"],"filter":{"$or":[{"year":{"$gte":"soon"}}]}}"""));
        await AssertProblemAsync(badFilter, HttpStatusCode.BadRequest, "invalid_filter");
        var problem = JsonDocument.Parse(await badFilter.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("filter.$or[0].year", problem.GetProperty("path").GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/rag/search", Json($$"""{"query":"words","collectionIds":["{{collectionId}}"],"mode":"keyword","minScore":0.5}""")),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/rag/search", Json($$"""{"query":"words","collectionIds":["{{collectionId}}"],"mode":"fuzzy"}""")),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/rag/search", Json($$"""{"query":"words","collectionIds":["{{collectionId}}"],"k":0}""")),
            HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task DocumentText_SearchHitsCitation_ReadsBackExactlyTheChunksText()
    {
        var gateway = await StartRagGatewayAsync(("RAG_CHUNK_TOKENS", "32"), ("RAG_CHUNK_OVERLAP_TOKENS", "4"));
        var collectionId = await CreateCollectionAsync(gateway, "Handbook");
        await AddDocumentAsync(gateway, collectionId, "handbook.md", Handbook, null);
        await using (var pdf = new MemoryStream(FerryPdf()))
        {
            await gateway.Services.GetRequiredService<RagService>().AddFileAsync(collectionId, "ferries.pdf", pdf);
        }

        foreach (var (query, document) in new[] { ("doctor note", "handbook.md"), ("receipts portal", "handbook.md"), ("ferry crossing", "ferries.pdf") })
        {
            var hits = (await SearchAsync(gateway, $$"""{"query":"{{query}}","collectionIds":["{{collectionId}}"],"mode":"keyword","k":5}"""))
                .GetProperty("hits").EnumerateArray().ToArray();
            var hit = hits.First(h => h.GetProperty("documentName").GetString() == document);
            var citation = hit.GetProperty("citation");
            var (start, end) = (citation.GetProperty("start").GetInt32(), citation.GetProperty("end").GetInt32());

            using var response = await gateway.Client.GetAsync($"api/rag/documents/{hit.GetProperty("documentId").GetString()}/text?start={start}&end={end}");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await ReadJsonAsync(response);
            Assert.Equal(["documentId", "collectionId", "name", "start", "end", "length", "text"], text.EnumerateObject().Select(p => p.Name));
            Assert.Equal(hit.GetProperty("text").GetString(), text.GetProperty("text").GetString());
            Assert.Equal((collectionId, document, start, end), (text.GetProperty("collectionId").GetString(), text.GetProperty("name").GetString(),
                text.GetProperty("start").GetInt32(), text.GetProperty("end").GetInt32()));
        }
    }

    [Fact]
    public async Task DocumentText_NoRange_IsTheWholeTextAndBadRangesOrDocumentsAreProblems()
    {
        var gateway = await StartRagGatewayAsync();
        var collectionId = await CreateCollectionAsync(gateway, "Handbook");
        await AddDocumentAsync(gateway, collectionId, "handbook.md", Handbook, null);
        var rag = gateway.Services.GetRequiredService<RagService>();
        var documentId = (await rag.Collections.FindDocumentByNameAsync(collectionId, "handbook.md"))!.Id;
        var withoutText = await rag.Collections.WriteDocumentAsync(collectionId, new RagDocumentWrite("old.md", RagRules.ContentHash("old"), 3, []));

        var whole = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/documents/{documentId}/text"));
        var tail = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/documents/{documentId}/text?start=10"));

        Assert.Equal(Handbook, whole.GetProperty("text").GetString());
        Assert.Equal((0, Handbook.Length, Handbook.Length), (whole.GetProperty("start").GetInt32(), whole.GetProperty("end").GetInt32(), whole.GetProperty("length").GetInt32()));
        Assert.Equal(Handbook[10..], tail.GetProperty("text").GetString());
        foreach (var (query, field) in new[] { ("start=-1", "start"), ($"start={Handbook.Length + 1}", "start"), ("start=5&end=4", "end"), ($"end={Handbook.Length + 1}", "end") })
        {
            using var bad = await gateway.Client.GetAsync($"api/rag/documents/{documentId}/text?{query}");
            await AssertProblemAsync(bad, HttpStatusCode.BadRequest, "invalid_request");
            Assert.Equal(field, JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        }

        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/documents/{documentId}/text?start=abc"), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/documents/{Unknown}/text"), HttpStatusCode.NotFound, "document_not_found");
        await AssertProblemAsync(
            await gateway.Client.GetAsync($"api/rag/documents/{withoutText.Document.Id}/text"), HttpStatusCode.NotFound, "document_text_unavailable");
    }

    [Fact]
    public async Task Document_LongerThanTheLimit_Is413()
    {
        var gateway = await StartRagGatewayAsync(("RAG_MAX_DOCUMENT_CHARS", "10"));
        var collectionId = await CreateCollectionAsync(gateway, "Small");

        await AssertProblemAsync(
            await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents", Json("""{"name":"a","text":"eleven chars"}""")),
            HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task PatchCollection_NewModelWithDocuments_Is202WithTheJob_OldModelAnswersUntilTheSwap()
    {
        var wordHash = new WordHashModelSource();
        var gateway = await StartGatewayWithStorageAsync(
            builder =>
            {
                builder.AddOnnxEmbeddings().AddRag();
                builder.Services.AddSingleton<IEmbeddingModelSource>(wordHash);
            },
            ("EMBEDDING_MODEL_OTHER", BundledEmbeddingModel.Folder));
        var collectionId = await CreateCollectionAsync(gateway, "Handbook");
        await AddDocumentAsync(gateway, collectionId, "handbook.md", Handbook, null);
        wordHash.Hold();
        string jobId;
        try
        {
            using var accepted = await gateway.Client.PatchAsync($"api/rag/collections/{collectionId}", Json("""{"embeddingModel":"word-hash"}"""));

            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var body = await ReadJsonAsync(accepted);
            var reembedding = body.GetProperty("reembedding");
            jobId = reembedding.GetProperty("ingestionId").GetString()!;
            Assert.Equal($"/api/rag/ingestions/{jobId}", accepted.Headers.Location?.OriginalString);
            Assert.Equal(("all-MiniLM-L6-v2", 384), (body.GetProperty("embeddingModel").GetString(), body.GetProperty("dimensions").GetInt32()));
            Assert.Equal((WordHashModelSource.Name, WordHashModelSource.Dimensions), (reembedding.GetProperty("embeddingModel").GetString(), reembedding.GetProperty("dimensions").GetInt32()));

            await wordHash.Called;
            await AssertProblemAsync(
                await gateway.Client.PatchAsync($"api/rag/collections/{collectionId}", Json("""{"embeddingModel":"other"}""")), HttpStatusCode.Conflict, "reembedding_in_progress");
            var during = await SearchAsync(gateway, $$"""{"query":"a doctor's note for sick leave","collectionIds":["{{collectionId}}"],"mode":"vector"}""");
            Assert.Contains("doctor", during.GetProperty("hits")[0].GetProperty("text").GetString());
            Assert.Equal(384, (await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}"))).GetProperty("dimensions").GetInt32());
        }
        finally
        {
            wordHash.Release();
        }

        var job = await gateway.Services.GetRequiredService<JobQueue>().WaitAsync(jobId);

        Assert.Equal(JobState.Completed, job.State);
        var after = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}"));
        Assert.Equal((WordHashModelSource.Name, WordHashModelSource.Dimensions), (after.GetProperty("embeddingModel").GetString(), after.GetProperty("dimensions").GetInt32()));
        var hits = (await SearchAsync(gateway, $$"""{"query":"receipts uploaded within thirty days","collectionIds":["{{collectionId}}"],"mode":"vector"}""")).GetProperty("hits");
        Assert.Contains("receipts", hits[0].GetProperty("text").GetString());
    }

    // Two pages of lines written by PdfPig's builder: what ingestion reads with its layout analysis.
    private static byte[] FerryPdf()
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        string[][] pages =
        [
            [.. Enumerable.Range(1, 8).Select(i => $"The harbour master logs lighthouse {i} on the northern cape.")],
            [.. Enumerable.Range(1, 8).Select(i => $"The timetable lists ferry {i} crossing the strait at dawn.")],
        ];
        foreach (var lines in pages)
        {
            var page = builder.AddPage(595, 842);
            for (var i = 0; i < lines.Length; i++)
            {
                page.AddText(lines[i], 11, new PdfPoint(60, 762 - (i * 14)), font);
            }
        }

        return builder.Build();
    }

    private Task<GatewayTestHost> StartRagGatewayAsync(params (string Key, string Value)[] settings) =>
        StartGatewayWithStorageAsync(
            builder => builder.AddOnnxEmbeddings().AddRag(),
            [.. settings, ("EMBEDDING_MODEL_OTHER", BundledEmbeddingModel.Folder)]);

    private static async Task<string> CreateCollectionAsync(GatewayTestHost gateway, string name)
    {
        using var response = await gateway.Client.PostAsync("api/rag/collections", Json(JsonSerializer.Serialize(new { name })));
        return (await ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    private static async Task AddDocumentAsync(GatewayTestHost gateway, string collectionId, string name, string text, string? metadata)
    {
        var body = $$"""{"name":{{JsonSerializer.Serialize(name)}},"text":{{JsonSerializer.Serialize(text)}},"metadata":{{metadata ?? "null"}}}""";
        Assert.Equal(0, (await IngestAsync(gateway, collectionId, body)).GetProperty("documentsFailed").GetInt32());
    }

    /// <summary>Ingests a JSON body with <c>?wait=true</c>: the final status of a completed ingestion.</summary>
    private static async Task<JsonElement> IngestAsync(GatewayTestHost gateway, string collectionId, string body)
    {
        using var response = await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents?wait=true", Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await ReadJsonAsync(response);
        Assert.Equal("completed", status.GetProperty("state").GetString());
        return status;
    }

    /// <summary>An ingestion's documents total, done and skipped, and its chunks done.</summary>
    private static (int Total, int Done, int Skipped, long Chunks) Counts(JsonElement status) => (
        status.GetProperty("documentsTotal").GetInt32(), status.GetProperty("documentsDone").GetInt32(),
        status.GetProperty("documentsSkipped").GetInt32(), status.GetProperty("chunksDone").GetInt64());

    private static async Task<JsonElement> SearchAsync(GatewayTestHost gateway, string body)
    {
        using var response = await gateway.Client.PostAsync("api/rag/search", Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadJsonAsync(response);
    }
}
