using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.AspNetCore.Tests.Builder;

public sealed class MapGatewayTests
{
    [Fact]
    public async Task MapGateway_StoresRegistered_MapsTheirEndpointsWithoutResolvingThem()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGateway().AddHttpApi();
        builder.Services.AddSingleton<IConversationStore>(_ => throw new InvalidOperationException("The conversation store was resolved while mapping."));
        builder.Services.AddSingleton<IConversationArchive>(_ => throw new InvalidOperationException("The archive was resolved while mapping."));
        builder.Services.AddSingleton<IMessageSearch>(_ => throw new InvalidOperationException("The search was resolved while mapping."));
        builder.Services.AddSingleton<IModelProfileStore>(_ => throw new InvalidOperationException("The profile store was resolved while mapping."));
        builder.Services.AddSingleton<ISpaceStore>(_ => throw new InvalidOperationException("The space store was resolved while mapping."));
        await using var app = builder.Build();

        app.MapGateway();
        var patterns = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(endpoint => endpoint.RoutePattern.RawText)
            .ToHashSet();

        Assert.Contains("/api/conversations/{conversationId}", patterns);
        Assert.Contains("/api/search", patterns);
        Assert.Contains("/api/model-profiles/{profileId}", patterns);
        Assert.Contains("/api/spaces/{spaceId}", patterns);
    }

    [Fact]
    public async Task MapGateway_WithoutAddHttpApi_SaysWhatToCall()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGateway();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapGateway());

        Assert.Contains("AddHttpApi()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapGatewayOpenApi_WithoutAddOpenApi_SaysWhatToCall()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGateway().AddHttpApi();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapGatewayOpenApi());

        Assert.Contains("AddOpenApi()", error.Message, StringComparison.Ordinal);
    }
}
