using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;

namespace Gateway.AspNetCore.Tests.Rag;

/// <summary>
/// Ingestion end to end: a gateway on loopback with SQLite storage, the bundled all-MiniLM-L6-v2, <c>AddRag()</c>
/// (which runs ingestions on the job worker) and a file sandbox over a temporary folder.
/// </summary>
public sealed class RagIngestionEndpointTests : GatewayFixture, IDisposable
{
    private const string Unknown = "0190a000-0000-7000-8000-000000000000";

    private readonly string _sandbox = Directory.CreateTempSubdirectory("gateway-ingest-sandbox-").FullName;
    private readonly string _database = Path.Combine(Directory.CreateTempSubdirectory("gateway-ingest-db-").FullName, "gateway.db");

    public void Dispose()
    {
        Directory.Delete(_sandbox, recursive: true);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_database)!, recursive: true);
    }

    [Fact]
    public async Task Upload_SeveralFilesOneBroken_TheBrokenFailsAloneAndTheOthersAreSearchable()
    {
        var gateway = await StartAsync();
        var collectionId = await CreateCollectionAsync(gateway, "Harbour");

        using var response = await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents", Upload(HarbourFiles(), """{"source":"upload"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ingestionId = (await ReadJsonAsync(response)).GetProperty("ingestionId").GetString()!;
        Assert.Equal($"/api/rag/ingestions/{ingestionId}", response.Headers.Location?.OriginalString);
        var status = await WaitFinishedAsync(gateway, ingestionId);
        Assert.Equal("completed", status.GetProperty("state").GetString());
        Assert.Equal(collectionId, status.GetProperty("collectionId").GetString());
        Assert.Equal("rag.ingestion", status.GetProperty("kind").GetString());
        Assert.Equal((5, 5, 0, 1), (Int(status, "documentsTotal"), Int(status, "documentsDone"), Int(status, "documentsSkipped"), Int(status, "documentsFailed")));
        var error = Assert.Single(status.GetProperty("errors").EnumerateArray());
        Assert.Equal("broken.pdf", error.GetProperty("document").GetString());
        Assert.Equal("document_corrupt", error.GetProperty("errorCode").GetString());
        Assert.Equal(status.GetProperty("chunksTotal").GetInt64(), status.GetProperty("chunksDone").GetInt64());
        Assert.True(status.GetProperty("chunksDone").GetInt64() >= 4);
        Assert.Equal(HarbourFiles().Where(f => f.Name != "broken.pdf").Sum(f => (long)f.Content.Length), status.GetProperty("bytesDone").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, status.GetProperty("startedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, status.GetProperty("finishedAt").ValueKind);

        Assert.Equal(["guide.md", "notes.txt", "piers.json", "tides.pdf"], await DocumentNamesAsync(gateway, collectionId));
        Assert.Equal("tides.pdf", await TopHitAsync(gateway, collectionId, "spring tide height in metres"));
        Assert.Equal("piers.json", await TopHitAsync(gateway, collectionId, "North pier berth for ferries"));
        Assert.Equal("notes.txt", await TopHitAsync(gateway, collectionId, "harbour master radio channel"));
        var hit = await SearchAsync(gateway, collectionId, "lighthouse keeper");
        Assert.Equal("upload", hit.GetProperty("metadata").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Upload_SameFilesAgainThenOneChanged_CountsThemSkippedThenReplacesOnlyTheChangedOne()
    {
        var gateway = await StartAsync();
        var collectionId = await CreateCollectionAsync(gateway, "Harbour");
        var files = HarbourFiles().Where(f => f.Name != "broken.pdf").ToArray();
        await IngestWaitAsync(gateway, collectionId, Upload(files));
        var before = await DocumentsAsync(gateway, collectionId);

        var again = await IngestWaitAsync(gateway, collectionId, Upload(files));
        var changedNotes = files.Select(f => f.Name == "notes.txt"
            ? (f.Name, Encoding.UTF8.GetBytes("The harbour master now answers on radio channel 16 around the clock."))
            : f).ToArray();
        var changed = await IngestWaitAsync(gateway, collectionId, Upload(changedNotes));
        var after = await DocumentsAsync(gateway, collectionId);

        Assert.Equal((4, 4, 4, 0L), (Int(again, "documentsTotal"), Int(again, "documentsDone"), Int(again, "documentsSkipped"), again.GetProperty("chunksDone").GetInt64()));
        Assert.Equal(3, Int(changed, "documentsSkipped"));
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before.Keys.Where(name => name != "notes.txt"), name => Assert.Equal(before[name], after[name]));
        Assert.Equal(before["notes.txt"].Id, after["notes.txt"].Id);
        Assert.NotEqual(before["notes.txt"].ContentHash, after["notes.txt"].ContentHash);
        Assert.Contains("around the clock", (await SearchAsync(gateway, collectionId, "radio channel")).GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxFolder_WithIncludeAndExclude_IngestsTheMatchingFilesNamedByTheirPaths()
    {
        Directory.CreateDirectory(Path.Combine(_sandbox, "guides", "draft"));
        await File.WriteAllTextAsync(Path.Combine(_sandbox, "guides", "mooring.md"), "# Mooring\n\nUse two bow lines and a spring line at the visitors' pontoon.");
        await File.WriteAllTextAsync(Path.Combine(_sandbox, "guides", "fuel.txt"), "The fuel berth opens at seven and closes at dusk.");
        await File.WriteAllTextAsync(Path.Combine(_sandbox, "guides", "draft", "secret.md"), "# Draft\n\nNot ready for anyone.");
        await File.WriteAllBytesAsync(Path.Combine(_sandbox, "guides", "chart.png"), [137, 80, 78, 71]);
        var gateway = await StartAsync();
        var collectionId = await CreateCollectionAsync(gateway, "Guides");

        var status = await IngestWaitAsync(
            gateway, collectionId, Json("""{"root":"docs","path":"guides","include":["**/*.md","**/*.txt"],"exclude":["draft/**"]}"""));
        var single = await IngestWaitAsync(gateway, collectionId, Json("""{"root":"docs","path":"guides/draft/secret.md","metadata":{"draft":true}}"""));

        Assert.Equal((2, 0), (Int(status, "documentsDone"), Int(status, "documentsFailed")));
        Assert.Equal(1, Int(single, "documentsDone"));
        Assert.Equal(["guides/draft/secret.md", "guides/fuel.txt", "guides/mooring.md"], await DocumentNamesAsync(gateway, collectionId));
        Assert.Equal("guides/fuel.txt", await TopHitAsync(gateway, collectionId, "when does the fuel berth open"));
        await AssertProblemAsync(
            await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents", Json("""{"root":"docs","path":"../etc"}""")),
            HttpStatusCode.Forbidden, "sandbox_path_denied");
        await AssertProblemAsync(
            await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents", Json("""{"root":"nope","path":"guides"}""")),
            HttpStatusCode.NotFound, "sandbox_root_not_found");
    }

    [Fact]
    public async Task Events_StreamProgressWhileItRunsThenCompletedAndEnd()
    {
        var gateway = await StartAsync();
        var collectionId = await CreateCollectionAsync(gateway, "Many");

        using var started = await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents", Upload(ManyFiles(12)));
        var ingestionId = (await ReadJsonAsync(started)).GetProperty("ingestionId").GetString()!;
        using var stream = await gateway.Client.GetAsync($"api/rag/ingestions/{ingestionId}/events", HttpCompletionOption.ResponseHeadersRead);
        var events = await SseReader.ReadAllAsync(stream);

        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.True(events.Count >= 2, $"{events.Count} events");
        Assert.All(events[..^1], e => Assert.Equal("progress", e.Name));
        Assert.Equal("completed", events[^1].Name);
        var last = JsonDocument.Parse(events[^1].Data).RootElement;
        Assert.Equal((12, 12), (Int(last, "documentsTotal"), Int(last, "documentsDone")));
        Assert.Equal("completed", last.GetProperty("state").GetString());
        var done = events.Select(e => Int(JsonDocument.Parse(e.Data).RootElement, "documentsDone")).ToList();
        Assert.Equal(done.Order(), done);
    }

    [Fact]
    public async Task Cancel_MidJob_StopsAfterAWholeDocumentAndWritesNoHalfOne()
    {
        var gateway = await StartAsync();
        var collectionId = await CreateCollectionAsync(gateway, "Many");

        using var started = await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents", Upload(ManyFiles(80)));
        var ingestionId = (await ReadJsonAsync(started)).GetProperty("ingestionId").GetString()!;
        await WaitUntilAsync(gateway, ingestionId, status => Int(status, "documentsDone") >= 1);
        using var cancel = await gateway.Client.PostAsync($"api/rag/ingestions/{ingestionId}/cancel", null);
        var status = await WaitFinishedAsync(gateway, ingestionId);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", status.GetProperty("state").GetString());
        Assert.InRange(Int(status, "documentsDone"), 1, 79);
        var documents = await DocumentsAsync(gateway, collectionId);
        Assert.Equal(Int(status, "documentsDone"), documents.Count);
        foreach (var document in documents.Values)
        {
            var read = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents/{document.Id}"));
            Assert.Equal(read.GetProperty("chunkCount").GetInt32(), read.GetProperty("chunks").GetArrayLength());
            Assert.True(read.GetProperty("chunkCount").GetInt32() > 0);
        }

        var again = await ReadJsonAsync(await gateway.Client.PostAsync($"api/rag/ingestions/{ingestionId}/cancel", null));
        Assert.Equal("cancelled", again.GetProperty("state").GetString());
    }

    [Fact]
    public async Task HostStoppedMidJob_ANewHostOverTheSameDatabaseFinishesIt()
    {
        var first = await StartAsync(("GATEWAY_DB", _database));
        var collectionId = await CreateCollectionAsync(first, "Many");
        using var started = await first.Client.PostAsync($"api/rag/collections/{collectionId}/documents", Upload(ManyFiles(40)));
        var ingestionId = (await ReadJsonAsync(started)).GetProperty("ingestionId").GetString()!;
        await WaitUntilAsync(first, ingestionId, status => Int(status, "documentsDone") >= 1);
        await first.DisposeAsync();

        var second = await StartAsync(("GATEWAY_DB", _database));
        var status = await WaitFinishedAsync(second, ingestionId);

        Assert.Equal("completed", status.GetProperty("state").GetString());
        Assert.Equal((40, 40, 0), (Int(status, "documentsTotal"), Int(status, "documentsDone"), Int(status, "documentsFailed")));
        Assert.Equal(40, (await DocumentsAsync(second, collectionId)).Count);
    }

    [Fact]
    public async Task Errors_UnknownIngestionTooLargeFileAndNoFiles_AreProblemJson()
    {
        var gateway = await StartAsync(("RAG_MAX_DOCUMENT_BYTES", "64"));
        var collectionId = await CreateCollectionAsync(gateway, "Small");

        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/ingestions/{Unknown}"), HttpStatusCode.NotFound, "ingestion_not_found");
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/rag/ingestions/{Unknown}/events"), HttpStatusCode.NotFound, "ingestion_not_found");
        await AssertProblemAsync(await gateway.Client.PostAsync($"api/rag/ingestions/{Unknown}/cancel", null), HttpStatusCode.NotFound, "ingestion_not_found");
        using var tooLarge = await gateway.Client.PostAsync(
            $"api/rag/collections/{collectionId}/documents", Upload([("small.txt", "tiny"u8.ToArray()), ("big.txt", new byte[65])]));
        await AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Contains("RAG_MAX_DOCUMENT_BYTES", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await DocumentNamesAsync(gateway, collectionId));
        using var noFiles = new MultipartFormDataContent { { new StringContent("{}"), "metadata" } };
        await AssertProblemAsync(await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents", noFiles), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(
            await gateway.Client.PostAsync($"api/rag/collections/{Unknown}/documents", Upload([("a.txt", "a"u8.ToArray())])), HttpStatusCode.NotFound, "collection_not_found");
        await AssertProblemAsync(
            await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents", new StringContent("name=a", Encoding.UTF8, "text/plain")),
            HttpStatusCode.BadRequest, "unsupported_media_type");

        var failed = await IngestWaitAsync(gateway, collectionId, Upload([("slides.pptx", "x"u8.ToArray())]), expectedState: "failed");
        Assert.Equal("ingestion_failed", failed.GetProperty("error").GetProperty("errorCode").GetString());
        Assert.Equal("unsupported_document_type", Assert.Single(failed.GetProperty("errors").EnumerateArray()).GetProperty("errorCode").GetString());
    }

    private Task<GatewayTestHost> StartAsync(params (string Key, string Value)[] settings) =>
        StartGatewayWithStorageAsync(
            builder => builder.AddOnnxEmbeddings().AddRag().AddFileSandbox(),
            [("GATEWAY_SANDBOX_ROOTS", $"docs={_sandbox}"), ("RAG_CHUNK_TOKENS", "48"), ("RAG_CHUNK_OVERLAP_TOKENS", "0"), .. settings]);

    /// <summary>A Markdown guide, a text note, a two-page PDF, a JSON list of piers and a PDF that is not one.</summary>
    private static (string Name, byte[] Content)[] HarbourFiles() =>
    [
        ("guide.md", Encoding.UTF8.GetBytes("# Harbour guide\n\n## Lighthouse\n\nThe lighthouse keeper lights the lamp at sunset.\n")),
        ("notes.txt", Encoding.UTF8.GetBytes("The harbour master answers on radio channel 12.\n\nVisitors report at the office.")),
        ("tides.pdf", Pdf(["Tide table for March"], ["A spring tide height reaches 4.2 metres at the quay."])),
        ("piers.json", Encoding.UTF8.GetBytes("""{"piers":[{"name":"North pier","use":"berth for ferries"},{"name":"South pier","use":"fishing boats"}]}""")),
        ("broken.pdf", "%PDF-1.7\nthis is not a pdf at all"u8.ToArray()),
    ];

    /// <summary>Text files of several chunks each, about different numbered things.</summary>
    private static (string Name, byte[] Content)[] ManyFiles(int count) =>
        [.. Enumerable.Range(0, count).Select(i => ($"doc-{i:D3}.txt", Encoding.UTF8.GetBytes(string.Join("\n\n",
            Enumerable.Range(0, 6).Select(p => $"Record {i} paragraph {p}: the vessel number {i} moored at berth {p} with a crew of {i + p} sailors and cargo.")))))];

    private static byte[] Pdf(params string[][] pages)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(595, 842);
            for (var i = 0; i < lines.Length; i++)
            {
                page.AddText(lines[i], 11, new PdfPoint(60, 760 - (i * 14)), font);
            }
        }

        return builder.Build();
    }

    private static MultipartFormDataContent Upload((string Name, byte[] Content)[] files, string? metadata = null)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, "files", name);
        }

        if (metadata is not null)
        {
            content.Add(new StringContent(metadata), "metadata");
        }

        return content;
    }

    private static async Task<JsonElement> IngestWaitAsync(GatewayTestHost gateway, string collectionId, HttpContent body, string expectedState = "completed")
    {
        using var response = await gateway.Client.PostAsync($"api/rag/collections/{collectionId}/documents?wait=true", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var status = JsonDocument.Parse(text).RootElement;
        Assert.Equal(expectedState, status.GetProperty("state").GetString());
        return status;
    }

    private static async Task<JsonElement> WaitFinishedAsync(GatewayTestHost gateway, string ingestionId) =>
        await WaitUntilAsync(gateway, ingestionId, status => status.GetProperty("state").GetString() is "completed" or "failed" or "cancelled");

    private static async Task<JsonElement> WaitUntilAsync(GatewayTestHost gateway, string ingestionId, Func<JsonElement, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var status = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/ingestions/{ingestionId}", timeout.Token));
            if (condition(status))
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    private static async Task<string> CreateCollectionAsync(GatewayTestHost gateway, string name)
    {
        using var response = await gateway.Client.PostAsync("api/rag/collections", Json(JsonSerializer.Serialize(new { name })));
        return (await ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    private static async Task<Dictionary<string, (string Id, string ContentHash)>> DocumentsAsync(GatewayTestHost gateway, string collectionId)
    {
        var page = await ReadJsonAsync(await gateway.Client.GetAsync($"api/rag/collections/{collectionId}/documents?limit=200"));
        return page.GetProperty("items").EnumerateArray().ToDictionary(
            d => d.GetProperty("name").GetString()!, d => (d.GetProperty("id").GetString()!, d.GetProperty("contentHash").GetString()!));
    }

    private static async Task<List<string>> DocumentNamesAsync(GatewayTestHost gateway, string collectionId) =>
        [.. (await DocumentsAsync(gateway, collectionId)).Keys.Order(StringComparer.Ordinal)];

    private static async Task<JsonElement> SearchAsync(GatewayTestHost gateway, string collectionId, string query)
    {
        using var response = await gateway.Client.PostAsync("api/rag/search", Json(JsonSerializer.Serialize(new { query, collectionIds = new[] { collectionId }, k = 1 })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("hits")[0];
    }

    private static async Task<string> TopHitAsync(GatewayTestHost gateway, string collectionId, string query) =>
        (await SearchAsync(gateway, collectionId, query)).GetProperty("documentName").GetString()!;

    private static int Int(JsonElement status, string name) => status.GetProperty(name).GetInt32();
}
