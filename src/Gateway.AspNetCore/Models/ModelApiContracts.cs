namespace Gateway.AspNetCore.Models;

/// <summary>The answer of <c>GET /api/models</c>.</summary>
internal sealed record ModelListBody(
    IReadOnlyList<ModelBody> Items,
    string? DefaultModelKey,
    IReadOnlyList<string> AllowedModels,
    string? Hint);

/// <summary>One route as <c>GET /api/models</c> shows it (never its API key).</summary>
internal sealed record ModelBody(string Key, string Provider, string Model, string Endpoint, bool Allowed, bool IsDefault);
