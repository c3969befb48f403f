using Microsoft.Extensions.Configuration;

namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// What an <see cref="EnvironmentRule"/> works on: the flat variables it reads, the gateway configuration
/// keys it writes (the <c>Gateway</c> section, copied first, so a variable wins), where each written key
/// came from, and the problems found on the way.
/// </summary>
internal sealed class EnvironmentWriter(IConfiguration flat, IDictionary<string, string?> data)
{
    private readonly Dictionary<string, string> _origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Key, string Message)> _problems = [];

    /// <summary>The application's configuration, whose top-level keys are the flat variables.</summary>
    public IConfiguration Flat { get; } = flat;

    /// <summary>Problems, each with the key the variable would have set, so the options that own the key report it.</summary>
    public IReadOnlyList<(string Key, string Message)> Problems => _problems;

    /// <summary>The variable each written key came from.</summary>
    public IReadOnlyDictionary<string, string> Origins => _origins;

    public void Set(string key, string value, string variable)
    {
        data[key] = value;
        _origins[key] = variable;
    }

    /// <summary>Removes <paramref name="key"/> and everything under it, e.g. a list the variable replaces.</summary>
    public void RemoveUnder(string key)
    {
        foreach (var existing in data.Keys.Where(existing => IsUnder(existing, key)).ToList())
        {
            data.Remove(existing);
        }
    }

    public bool HasUnder(string key) => data.Keys.Any(existing => IsUnder(existing, key));

    public void CopyValue(string from, string to)
    {
        if (data.TryGetValue(from, out var value) && value is not null)
        {
            data[to] = value;
            if (_origins.TryGetValue(from, out var variable))
            {
                _origins[to] = variable;
            }
        }
    }

    /// <summary>Every flat variable whose name starts with <paramref name="prefix"/> (any case), in name order.</summary>
    public IEnumerable<(string Variable, string Value)> FlatWithPrefix(string prefix) =>
        Flat.GetChildren()
            .Where(entry => entry.Value is not null && entry.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(entry => entry.Key, StringComparer.OrdinalIgnoreCase)
            .Select(entry => (entry.Key, entry.Value!));

    public void Problem(string key, string message) => _problems.Add((key, message));

    private static bool IsUnder(string candidate, string key) =>
        candidate.Equals(key, StringComparison.OrdinalIgnoreCase)
        || (candidate.Length > key.Length && candidate[key.Length] == ':' && candidate.StartsWith(key, StringComparison.OrdinalIgnoreCase));
}
