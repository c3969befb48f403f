using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;

namespace Gateway.AspNetCore.Tests.Files;

/// <summary>
/// <c>/api/files/**</c> end to end: a gateway on loopback with <c>AddFileSandbox()</c> over a real temporary
/// folder (root <c>docs</c>) beside one that must stay out of reach; every escape is sent as a client would
/// send it, percent-encoded in the query string, and answered with its status and errorCode.
/// </summary>
public sealed class FileEndpointTests : GatewayFixture, IDisposable
{
    private const string Secret = "the secret outside the root";

    private readonly string _base = Directory.CreateTempSubdirectory("gateway-http-sandbox-").FullName;

    public FileEndpointTests()
    {
        Directory.CreateDirectory(Path.Join(_base, "outside"));
        File.WriteAllText(Path.Join(_base, "outside", "secret.txt"), Secret);
        Write("handbook/leave.md", "# Leave\n\nTwenty-five days.");
        Write("handbook/logo.png", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00]);
        Write("readme.txt", "hello");
        Write(".env", "KEY=1");
        File.CreateSymbolicLink(Path.Join(Root, "secret-link.txt"), Path.Join(_base, "outside", "secret.txt"));
        Directory.CreateSymbolicLink(Path.Join(Root, "handbook", "archive"), Path.Join(_base, "outside"));
        File.CreateSymbolicLink(Path.Join(Root, "one.txt"), "two.txt");
        File.CreateSymbolicLink(Path.Join(Root, "two.txt"), "secret-link.txt");
        File.CreateSymbolicLink(Path.Join(Root, "ping"), "pong");
        File.CreateSymbolicLink(Path.Join(Root, "pong"), "ping");
    }

    private string Root => Path.Join(_base, "root");

    public void Dispose() => Directory.Delete(_base, recursive: true);

    [Fact]
    public async Task Roots_ListsTheConfiguredNamesOnly()
    {
        var gateway = await StartSandboxGatewayAsync();

        var roots = await ReadJsonAsync(await gateway.Client.GetAsync("api/files/roots"));

        Assert.Equal("""{"items":[{"name":"docs"}]}""", roots.GetRawText());
    }

    [Fact]
    public async Task List_Root_GivesNameKindSizeModified_WithoutDotfilesOrLinksLeavingTheRoot()
    {
        var gateway = await StartSandboxGatewayAsync();

        var listing = await ReadJsonAsync(await gateway.Client.GetAsync("api/files?root=docs"));

        Assert.Equal("docs", listing.GetProperty("root").GetString());
        Assert.Equal(string.Empty, listing.GetProperty("path").GetString());
        var items = listing.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["handbook", "readme.txt"], items.Select(item => item.GetProperty("name").GetString()));
        Assert.Equal(["name", "path", "kind", "size", "modified"], items[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal("folder", items[0].GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("size").ValueKind);
        Assert.Equal("file", items[1].GetProperty("kind").GetString());
        Assert.Equal(5, items[1].GetProperty("size").GetInt64());
        Assert.Equal(new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Join(Root, "readme.txt"))), items[1].GetProperty("modified").GetDateTimeOffset());
    }

    [Fact]
    public async Task List_Subfolder_GivesPathsToPassBack()
    {
        var gateway = await StartSandboxGatewayAsync();

        var listing = await ReadJsonAsync(await gateway.Client.GetAsync("api/files?root=docs&path=handbook%2F"));

        Assert.Equal("handbook", listing.GetProperty("path").GetString());
        Assert.Equal(["handbook/leave.md", "handbook/logo.png"], listing.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("path").GetString()));
    }

    [Fact]
    public async Task Content_Text_IsStreamedWithItsTypeLengthAndSafetyHeaders()
    {
        var gateway = await StartSandboxGatewayAsync();

        using var response = await gateway.Client.GetAsync("api/files/content?root=docs&path=handbook/leave.md");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(new FileInfo(Path.Join(Root, "handbook", "leave.md")).Length, response.Content.Headers.ContentLength);
        Assert.Equal("text", Assert.Single(response.Headers.GetValues("X-File-Kind")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.StartsWith("sandbox", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("# Leave\n\nTwenty-five days.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Content_Binary_SaysBinary()
    {
        var gateway = await StartSandboxGatewayAsync();

        using var response = await gateway.Client.GetAsync("api/files/content?root=docs&path=handbook/logo.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("binary", Assert.Single(response.Headers.GetValues("X-File-Kind")));
        Assert.Equal(6, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("..%2Foutside%2Fsecret.txt")]
    [InlineData("%2e%2e/outside/secret.txt")]
    [InlineData("handbook/..%2F..%2Foutside%2Fsecret.txt")]
    public async Task Content_DotDot_Is403(string path) => await AssertContentProblemAsync(path, HttpStatusCode.Forbidden, "sandbox_path_denied");

    [Fact]
    public async Task Content_AbsolutePath_Is403() =>
        await AssertContentProblemAsync(Uri.EscapeDataString(Path.Join(_base, "outside", "secret.txt")), HttpStatusCode.Forbidden, "sandbox_path_denied");

    [Theory]
    [InlineData("%252e%252e%252foutside%252fsecret.txt")]
    [InlineData("handbook%252fleave.md")]
    public async Task Content_DoublePercentEncoded_Is400(string path) => await AssertContentProblemAsync(path, HttpStatusCode.BadRequest, "invalid_path");

    [Fact]
    public async Task Content_Backslash_Is400() => await AssertContentProblemAsync("..%5Coutside%5Csecret.txt", HttpStatusCode.BadRequest, "invalid_path");

    [Fact]
    public async Task Content_NulByte_Is400WithAProblem() => await AssertContentProblemAsync("readme.txt%00.md", HttpStatusCode.BadRequest, "invalid_path");

    [Fact]
    public async Task Content_OverLongPath_Is400() =>
        await AssertContentProblemAsync(string.Join("/", Enumerable.Repeat("handbook", 200)), HttpStatusCode.BadRequest, "invalid_path");

    [Fact]
    public async Task Content_FileLinkLeavingTheRoot_Is403() => await AssertContentProblemAsync("secret-link.txt", HttpStatusCode.Forbidden, "sandbox_path_denied");

    [Fact]
    public async Task Content_ThroughALinkedParentFolder_Is403() =>
        await AssertContentProblemAsync("handbook/archive/secret.txt", HttpStatusCode.Forbidden, "sandbox_path_denied");

    [Fact]
    public async Task List_LinkedFolderLeavingTheRoot_Is403()
    {
        var gateway = await StartSandboxGatewayAsync();

        await AssertProblemAsync(await gateway.Client.GetAsync("api/files?root=docs&path=handbook/archive"), HttpStatusCode.Forbidden, "sandbox_path_denied");
    }

    [Fact]
    public async Task Content_LinkChainLeavingTheRoot_Is403() => await AssertContentProblemAsync("one.txt", HttpStatusCode.Forbidden, "sandbox_path_denied");

    [Fact]
    public async Task Content_LoopOfLinks_Is403() => await AssertContentProblemAsync("ping", HttpStatusCode.Forbidden, "sandbox_path_denied");

    [Fact]
    public async Task Content_Dotfile_Is404() => await AssertContentProblemAsync(".env", HttpStatusCode.NotFound, "file_not_found");

    [Fact]
    public async Task Content_Missing_Is404() => await AssertContentProblemAsync("handbook/nothing.md", HttpStatusCode.NotFound, "file_not_found");

    [Fact]
    public async Task Content_UnknownRoot_Is404ListingTheRoots()
    {
        var gateway = await StartSandboxGatewayAsync();

        using var response = await gateway.Client.GetAsync("api/files/content?root=nope&path=readme.txt");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "sandbox_root_not_found");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["docs"], problem.GetProperty("availableRoots").EnumerateArray().Select(root => root.GetString()));
    }

    [Fact]
    public async Task Content_NoRoot_Is400NamingTheField()
    {
        var gateway = await StartSandboxGatewayAsync();

        using var response = await gateway.Client.GetAsync("api/files/content?path=readme.txt");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("root", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Content_OverTheReadLimit_Is413NamingTheLimit()
    {
        var gateway = await StartSandboxGatewayAsync(("GATEWAY_SANDBOX_MAX_READ_BYTES", "16"));

        using var response = await gateway.Client.GetAsync("api/files/content?root=docs&path=handbook/leave.md");

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "file_too_large");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(16, problem.GetProperty("limitBytes").GetInt64());
        Assert.Contains("GATEWAY_SANDBOX_MAX_READ_BYTES", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_AFolder_Is400AndListingAFile_Is400()
    {
        var gateway = await StartSandboxGatewayAsync();

        await AssertProblemAsync(await gateway.Client.GetAsync("api/files/content?root=docs&path=handbook"), HttpStatusCode.BadRequest, "not_a_file");
        await AssertProblemAsync(await gateway.Client.GetAsync("api/files?root=docs&path=readme.txt"), HttpStatusCode.BadRequest, "not_a_folder");
    }

    [Fact]
    public async Task Files_WithApiKeysConfigured_NeedAKey()
    {
        var gateway = await StartSandboxGatewayAsync(("GATEWAY_API_KEYS", "sk-files"));

        await AssertProblemAsync(await gateway.Client.GetAsync("api/files/roots"), HttpStatusCode.Unauthorized, "unauthenticated");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/files/roots");
        request.Headers.Authorization = new("Bearer", "sk-files");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Files_WithoutAddFileSandbox_AreNotMapped()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.GetAsync("api/files/roots")).StatusCode);
    }

    [Fact]
    public async Task Startup_WithAMissingRootFolder_FailsNamingTheSetting()
    {
        var missing = Path.Join(_base, "missing");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartGatewayAsync(
            gateway => gateway.AddFileSandbox(), ("MODEL_ROUTE_MAIN", OpenAIRoute()), ("GATEWAY_SANDBOX_ROOTS", $"docs={missing}")));

        Assert.Contains($"GATEWAY_SANDBOX_ROOTS (Gateway:Sandbox:Roots:docs): the folder '{missing}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesTheContentAsTheFilesOwnBytes()
    {
        var gateway = await StartSandboxGatewayAsync();

        using var document = JsonDocument.Parse(await gateway.Client.GetStringAsync("openapi/v1.json"));

        var read = document.RootElement.GetProperty("paths").GetProperty("/api/files/content").GetProperty("get");
        var ok = read.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(ok.TryGetProperty("application/octet-stream", out _));
        Assert.True(ok.TryGetProperty("text/plain", out _));
        Assert.True(read.GetProperty("responses").TryGetProperty("413", out _));
        var parameters = read.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["root", "path"], parameters);
    }

    private async Task AssertContentProblemAsync(string encodedPath, HttpStatusCode status, string errorCode)
    {
        var gateway = await StartSandboxGatewayAsync();

        using var response = await gateway.Client.GetAsync($"api/files/content?root=docs&path={encodedPath}");

        await AssertProblemAsync(response, status, errorCode);
        Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<GatewayTestHost> StartSandboxGatewayAsync(params (string Key, string Value)[] settings) =>
        StartGatewayAsync(
            gateway => gateway.AddFileSandbox(),
            [("MODEL_ROUTE_MAIN", OpenAIRoute()), ("GATEWAY_SANDBOX_ROOTS", $"docs={Root}"), .. settings]);

    private void Write(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));

    private void Write(string path, byte[] bytes)
    {
        var full = Path.Join(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }
}
