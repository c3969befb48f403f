using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Gateway.Core.Storage.Migrations;

/// <summary>
/// Loads a backend's migrations from embedded resources named <c>NNNN_name.up.sql</c> and
/// <c>NNNN_name.down.sql</c>. A down script whose first line is <c>-- drops-user-data</c> is marked as
/// destructive.
/// </summary>
public static partial class EmbeddedMigrations
{
    /// <summary>The first line that marks a down script as deleting user data.</summary>
    public const string DropsUserDataMarker = "-- drops-user-data";

    /// <summary>Reads every migration embedded in <paramref name="assembly"/>, ordered by version.</summary>
    /// <exception cref="InvalidOperationException">A script lacks its twin, or versions are not 1, 2, 3, … without gaps.</exception>
    public static IReadOnlyList<SchemaMigration> Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var scripts = new Dictionary<(int Version, string Name), (string? Up, string? Down)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            var key = (int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var text = reader.ReadToEnd();
            scripts.TryGetValue(key, out var pair);
            scripts[key] = match.Groups["direction"].Value == "up" ? pair with { Up = text } : pair with { Down = text };
        }

        var migrations = scripts
            .OrderBy(entry => entry.Key.Version)
            .Select(entry => new SchemaMigration(
                entry.Key.Version,
                entry.Key.Name,
                entry.Value.Up ?? throw new InvalidOperationException($"Migration {entry.Key.Version} ({entry.Key.Name}) has no up script."),
                entry.Value.Down ?? throw new InvalidOperationException($"Migration {entry.Key.Version} ({entry.Key.Name}) has no down script."),
                entry.Value.Down.TrimStart().StartsWith(DropsUserDataMarker, StringComparison.Ordinal)))
            .ToList();

        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations must be numbered 1, 2, 3, … without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"(?<version>\d{4})_(?<name>[a-z0-9_]+)\.(?<direction>up|down)\.sql$")]
    private static partial Regex ScriptName();
}
