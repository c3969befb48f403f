using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.AspNetCore.Spaces;

/// <summary>The body of <c>POST /api/spaces</c> and <c>PUT /api/spaces/{id}</c>: every field of the space.</summary>
internal sealed class SpaceBody
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? DefaultProfileId { get; set; }

    public JsonElement? Metadata { get; set; }

    public SpaceDefinition ToDefinition() => new(
        Name ?? throw GatewayException.InvalidField("name", "a space name is required."),
        Description,
        DefaultProfileId,
        Metadata);
}

/// <summary>The query of <c>DELETE /api/spaces/{id}</c>: what happens to the space's conversations.</summary>
internal sealed record SpaceDeletionParameters(
    [FromQuery(Name = "cascade")] bool? Cascade,
    [FromQuery(Name = "detach")] bool? Detach)
{
    public SpaceDeletion ToDeletion() => (Cascade ?? false, Detach ?? false) switch
    {
        (true, true) => throw GatewayException.InvalidField(
            "cascade", "choose one of cascade=true (delete the space's conversations) or detach=true (keep them in no space), not both."),
        (true, false) => SpaceDeletion.DeleteConversations,
        (false, true) => SpaceDeletion.DetachConversations,
        _ => SpaceDeletion.RefuseIfConversations,
    };
}

/// <summary>The answer of <c>GET /api/spaces/{id}/profiles</c>.</summary>
internal sealed record LinkedProfilesBody(IReadOnlyList<ModelProfile> Items);
