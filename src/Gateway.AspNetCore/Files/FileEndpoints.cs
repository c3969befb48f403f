using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Gateway.Rag.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Gateway.AspNetCore.Files;

/// <summary>
/// <c>/api/files</c>: the read-only file sandbox's roots, a folder's entries and a file's bytes. Thin handlers
/// over <see cref="FileSandbox"/>, which refuses every path that is malformed (400 <c>invalid_path</c>) or leads
/// outside its root (403 <c>sandbox_path_denied</c>).
/// </summary>
internal static class FileEndpoints
{
    /// <summary>The header that says whether the content read as text (<c>text</c>) or not (<c>binary</c>).</summary>
    public const string FileKindHeader = "X-File-Kind";

    public static void Map(IEndpointRouteBuilder api)
    {
        var files = api.MapGroup("/api/files").WithTags("Files");
        files.MapGet("/roots", ListRoots).WithName("ListFileRoots");
        files.MapGet(string.Empty, List).WithName("ListFiles")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidRequest, GatewayErrorCodes.InvalidPath, GatewayErrorCodes.NotAFolder)
            .ProducesGatewayError(StatusCodes.Status403Forbidden, GatewayErrorCodes.SandboxPathDenied)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SandboxRootNotFound, GatewayErrorCodes.FileNotFound);
        files.MapGet("/content", ReadAsync).WithName("ReadFile")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/octet-stream", "text/plain", "text/markdown", "application/json", "application/pdf")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidRequest, GatewayErrorCodes.InvalidPath, GatewayErrorCodes.NotAFile)
            .ProducesGatewayError(StatusCodes.Status403Forbidden, GatewayErrorCodes.SandboxPathDenied)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SandboxRootNotFound, GatewayErrorCodes.FileNotFound)
            .ProducesGatewayError(StatusCodes.Status413PayloadTooLarge, GatewayErrorCodes.FileTooLarge);
    }

    private static Ok<FileRootListBody> ListRoots([FromServices] FileSandbox sandbox) =>
        TypedResults.Ok(new FileRootListBody([.. sandbox.RootNames.Select(name => new FileRootBody(name))]));

    private static Ok<FileListBody> List([AsParameters] FileQueryParameters query, [FromServices] FileSandbox sandbox, CancellationToken cancellationToken)
    {
        var root = query.RootOrThrow;
        var folder = sandbox.GetEntry(root, query.Path);
        var entries = sandbox.ListFolder(root, query.Path, cancellationToken);
        return TypedResults.Ok(new FileListBody(root, folder.Path, [.. entries.Select(FileEntryBody.From)]));
    }

    private static async Task<FileStreamHttpResult> ReadAsync(
        [AsParameters] FileQueryParameters query, [FromServices] FileSandbox sandbox, HttpContext context, CancellationToken cancellationToken)
    {
        var file = await sandbox.OpenFileAsync(query.RootOrThrow, query.Path, cancellationToken: cancellationToken).ConfigureAwait(false);
        var headers = context.Response.Headers;
        context.Response.ContentLength = file.Length;
        headers[FileKindHeader] = file.IsText ? "text" : "binary";
        // The bytes are the user's, served from the gateway's own origin: never sniffed into another type,
        // and never run as a page (an .html or .svg file opened in a browser gets no script and no origin).
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.ContentSecurityPolicy] = "sandbox; default-src 'none'";
        headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("inline") { FileNameStar = file.Entry.Name }.ToString();
        // The result disposes the stream, which closes the file, once the body is written.
        return TypedResults.Stream(file.Content, file.ContentType, lastModified: file.Entry.Modified);
    }
}
