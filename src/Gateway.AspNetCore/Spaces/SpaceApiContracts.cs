using System.Text.Json;
using Gateway.Core.Storage.Profiles;

namespace Gateway.AspNetCore.Spaces;

/// <summary>The body of <c>POST /api/spaces</c> and <c>PUT /api/spaces/{id}</c>: every field of the space.</summary>
internal sealed class SpaceBody
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? DefaultProfileId { get; set; }

    public JsonElement? Metadata { get; set; }
}

/// <summary>The answer of <c>GET /api/spaces/{id}/profiles</c>.</summary>
internal sealed record LinkedProfilesBody(IReadOnlyList<ModelProfile> Items);
