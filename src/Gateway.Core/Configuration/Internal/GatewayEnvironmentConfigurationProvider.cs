using Microsoft.Extensions.Configuration;

namespace Gateway.Core.Configuration.Internal;

/// <summary>Provides the keys of <see cref="GatewayEnvironmentConfigurationSource"/>; see there.</summary>
internal sealed class GatewayEnvironmentConfigurationProvider(IConfiguration flat, IReadOnlyList<GatewayEnvironmentMap> maps) : ConfigurationProvider
{
    /// <summary>The section every gateway option lives under.</summary>
    public const string RootSection = "Gateway";

    private EnvironmentWriter? _writer;

    /// <summary>The values that could not be mapped, each with the key it was meant for.</summary>
    public IReadOnlyList<(string Key, string Message)> Problems => _writer?.Problems ?? [];

    /// <summary>The variable a key's value came from; <see langword="null"/> when it came from the section.</summary>
    public string? VariableOf(string key) => _writer is not null && _writer.Origins.TryGetValue(key, out var variable) ? variable : null;

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in flat.GetSection(RootSection).AsEnumerable())
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        var writer = new EnvironmentWriter(flat, data);
        foreach (var rule in maps.SelectMany(map => map.Rules))
        {
            rule.Apply(writer);
        }

        _writer = writer;
        Data = data;
    }
}
