using Microsoft.Extensions.Configuration;

namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// The gateway's view of the application's configuration: the <c>Gateway</c> section with every
/// registered package's flat variables applied (<see cref="GatewayEnvironmentConfigurationSource"/>).
/// Built once, when the first options are read; every package's options bind from it.
/// </summary>
internal sealed class GatewayConfiguration
{
    private readonly GatewayEnvironmentConfigurationProvider _provider;
    private readonly IReadOnlyList<GatewayOptionsSection> _sections;

    public GatewayConfiguration(IConfiguration? flat, IEnumerable<GatewayEnvironmentMap> maps, IEnumerable<GatewayOptionsSection> sections)
    {
        Flat = flat ?? new ConfigurationBuilder().Build();
        var root = new ConfigurationBuilder().Add(new GatewayEnvironmentConfigurationSource(Flat, maps.ToList())).Build();
        _provider = root.Providers.OfType<GatewayEnvironmentConfigurationProvider>().Single();
        _sections = sections.ToList();
        Root = root;
    }

    /// <summary>The application's configuration, as registered.</summary>
    public IConfiguration Flat { get; }

    /// <summary>The section keys with the variables applied.</summary>
    public IConfiguration Root { get; }

    /// <summary>The variable a key's value came from; <see langword="null"/> when it came from the section.</summary>
    public string? VariableOf(string key) => _provider.VariableOf(key);

    /// <summary>
    /// The mapping problems <paramref name="options"/> reports: those of keys in its section and in no
    /// longer section bound by other options; of a section bound by several options types, the first
    /// registered reports them, so each problem is listed once.
    /// </summary>
    public IEnumerable<string> ProblemsOf(Type options) => _provider.Problems
        .Where(problem => Owner(problem.Key)?.Options == options)
        .Select(problem => problem.Message);

    private GatewayOptionsSection? Owner(string key) => _sections
        .Where(section => key.Equals(section.Name, StringComparison.OrdinalIgnoreCase) || key.StartsWith(section.Name + ":", StringComparison.OrdinalIgnoreCase))
        .OrderByDescending(section => section.Name.Length)
        .FirstOrDefault();
}
