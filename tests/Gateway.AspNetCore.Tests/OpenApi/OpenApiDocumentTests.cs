using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.AspNetCore.Tests.OpenApi;

public sealed class OpenApiDocumentTests : GatewayFixture
{
    private const string DocumentPattern = "/openapi/{documentName}.json";

    [Fact]
    public async Task Document_DescribesEveryMappedEndpoint_WithItsMethodBodyAndErrorResponses()
    {
        var gateway = await StartGatewayWithStorageAsync(builder => builder.AddEmbeddings().AddRag().AddFileSandbox());

        using var document = JsonDocument.Parse(await gateway.Client.GetStringAsync("openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths");
        var endpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText != DocumentPattern)
            // The /v1 fallback answers unknown paths and methods; it is no operation of the API.
            .Where(endpoint => endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .ToList();
        Assert.True(endpoints.Count >= 30, $"Only {endpoints.Count} endpoints are mapped; storage and embeddings should be.");
        foreach (var endpoint in endpoints)
        {
            // A group's own endpoint ("/api/spaces" + "") has a trailing slash in its raw pattern, not in the document.
            var path = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            foreach (var method in endpoint.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods)
            {
                var name = $"{method} {path}";
                var operation = default(JsonElement);
                Assert.True(
                    paths.TryGetProperty(path, out var item) && item.TryGetProperty(method.ToLowerInvariant(), out operation),
                    $"{name} is mapped but not in the OpenAPI document.");
                AssertBody(endpoint, operation, name);
                AssertErrorResponses(endpoint, operation, name, openAI: path.StartsWith("/v1/", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Document_NamesOpenAIPropertiesAsTheWireDoesAndListsBindingErrors()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var document = JsonDocument.Parse(await gateway.Client.GetStringAsync("openapi/v1.json"));

        var root = document.RootElement;
        var request = root.GetProperty("components").GetProperty("schemas").GetProperty("OpenAIChatRequest").GetProperty("properties");
        Assert.True(request.TryGetProperty("max_tokens", out _));
        Assert.True(request.TryGetProperty("stream_options", out _));
        Assert.False(request.TryGetProperty("maxTokens", out _));
        var chat = root.GetProperty("paths").GetProperty("/api/chat").GetProperty("post");
        Assert.Equal(
            [GatewayErrorCodes.InvalidRequest, GatewayErrorCodes.MalformedRequest, GatewayErrorCodes.ToolsNotSupported, GatewayErrorCodes.UnsupportedMediaType, GatewayErrorCodes.UnsupportedParameter, GatewayErrorCodes.UpstreamBadRequest, GatewayErrorCodes.VisionNotSupported],
            ErrorCodes(chat, "400").Order(StringComparer.Ordinal));
        Assert.Equal(
            [GatewayErrorCodes.ImageTooLarge, GatewayErrorCodes.PayloadTooLarge, GatewayErrorCodes.TooManyImages],
            ErrorCodes(chat, "413").Order(StringComparer.Ordinal));
    }

    private static void AssertBody(RouteEndpoint endpoint, JsonElement operation, string name)
    {
        if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { RequestType: not null })
        {
            return;
        }

        Assert.True(operation.TryGetProperty("requestBody", out var body), $"{name} takes a body the document does not describe.");
        Assert.True(
            body.GetProperty("content").EnumerateObject().Any(media => media.Value.TryGetProperty("schema", out _)),
            $"{name}: its request body has no schema.");
    }

    private static void AssertErrorResponses(RouteEndpoint endpoint, JsonElement operation, string name, bool openAI)
    {
        var declared = endpoint.Metadata.GetOrderedMetadata<GatewayErrorResponse>();
        Assert.True(declared.Count > 0, $"{name} declares no error responses: map it inside MapGateway's groups.");
        foreach (var error in declared)
        {
            var status = error.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{name}: the document lacks its {status} response.");
            var codes = ErrorCodes(operation, status);
            foreach (var code in error.ErrorCodes)
            {
                Assert.True(codes.Contains(code), $"{name}: the {status} response does not list errorCode {code}.");
            }

            var schema = operation.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
            Assert.Equal(openAI, schema.GetProperty("properties").TryGetProperty("error", out _));
        }
    }

    private static List<string> ErrorCodes(JsonElement operation, string status) =>
        operation.GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty("application/problem+json")
            .GetProperty("schema").GetProperty("properties").GetProperty("errorCode").GetProperty("enum")
            .EnumerateArray().Select(code => code.GetString()!).ToList();
}
