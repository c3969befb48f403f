using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers;

/// <summary>
/// A kind of upstream that can serve model routes, such as <c>openai</c> or <c>ollama</c>.
/// Register more with <c>TryAddEnumerable</c>; the provider named in a route is looked up by <see cref="Name"/>.
/// </summary>
public interface IChatProvider
{
    /// <summary>The provider name used in configuration (case-insensitive).</summary>
    string Name { get; }

    /// <summary>Checks the provider-specific parts of a route, such as the endpoint's form.</summary>
    /// <returns>A sentence describing the problem, or <see langword="null"/> when the route is valid.</returns>
    string? Validate(ModelRoute route);

    /// <summary>Creates the chat client that talks to the route's upstream. Called once per route.</summary>
    IChatClient CreateClient(ModelRoute route);
}
