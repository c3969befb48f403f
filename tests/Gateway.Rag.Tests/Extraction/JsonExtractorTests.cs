using Gateway.Core.Errors;

namespace Gateway.Rag.Tests.Extraction;

/// <summary>JSON and JSON Lines files: flattened to path lines, one section per record with its JSON path.</summary>
public sealed class JsonExtractorTests : IDisposable
{
    private readonly DocumentFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Extract_NestedObjectsAndAnArrayOfRecords_OneSectionPerRecordWithItsPath()
    {
        const string json = """
            {
              "title": "Harbours",
              "owner": { "name": "Port authority", "address": { "city": "Hamburg" } },
              "tags": ["sea", "ships"],
              "harbours": [
                { "name": "North pier", "depth": 12.5, "open": true },
                { "name": "South pier", "depth": null, "cranes": [{ "id": 1 }] }
              ],
              "odd key": "value"
            }
            """;

        var document = await _files.ExtractAsync("harbours.json", json);

        Assert.Equal(["$", "$.harbours[0]", "$.harbours[1]", "$.harbours[1].cranes[0]", "$"], document.Sections.Select(section => section.JsonPath));
        Assert.Equal(
            [
                "title: Harbours\nowner.name: Port authority\nowner.address.city: Hamburg\ntags[0]: sea\ntags[1]: ships",
                "name: North pier\ndepth: 12.5\nopen: true",
                "name: South pier\ndepth: null",
                "id: 1",
                "['odd key']: value",
            ],
            DocumentFiles.SectionTexts(document));
        var chunks = DocumentFiles.Chunks(document);
        Assert.Equal(["$", "$.harbours[0]", "$.harbours[1]", "$.harbours[1].cranes[0]", "$"], chunks.Select(chunk => chunk.Citation.JsonPath));
        Assert.Equal("name: North pier\ndepth: 12.5\nopen: true", chunks[1].Text);
    }

    [Fact]
    public async Task Extract_RootArrayOfRecords_OneChunkPerRecord()
    {
        var json = "[" + string.Join(',', Enumerable.Range(0, 20).Select(i => $$"""{"id": {{i}}, "text": "Record {{i}} about a lighthouse."}""")) + "]";

        var document = await _files.ExtractAsync("records.json", json);

        var chunks = DocumentFiles.Chunks(document, chunkTokens: 200);
        Assert.Equal(20, chunks.Count);
        Assert.All(chunks.Select((chunk, i) => (chunk, i)), record => Assert.Equal($"id: {record.i}\ntext: Record {record.i} about a lighthouse.", record.chunk.Text));
    }

    [Fact]
    public async Task Extract_JsonLines_EachLineIsTheRecordOfItsIndex()
    {
        const string jsonl = "{\"q\": \"Where is the pier?\", \"a\": \"North.\"}\n\n{\"q\": \"How deep?\", \"a\": {\"metres\": 12}}\n\"a plain string\"\n";

        var document = await _files.ExtractAsync("faq.jsonl", jsonl);

        Assert.Equal(["$[0]", "$[1]", "$[2]"], document.Sections.Select(section => section.JsonPath));
        Assert.Equal(["q: Where is the pier?\na: North.", "q: How deep?\na.metres: 12", "a plain string"], DocumentFiles.SectionTexts(document));
    }

    [Theory]
    [InlineData("bad.json", "{\"a\": 1,, }", "line 1")]
    [InlineData("bad.jsonl", "{\"a\": 1}\n{\"a\": \n", "line 2")]
    public async Task Extract_InvalidJson_IsDocumentCorruptSayingWhere(string fileName, string content, string where)
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _files.ExtractAsync(fileName, content));

        Assert.Equal(GatewayErrorCodes.DocumentCorrupt, error.ErrorCode);
        Assert.Contains(where, error.Message, StringComparison.Ordinal);
    }
}
