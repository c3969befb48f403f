using System.Globalization;

namespace Gateway.Core.Configuration.Internal;

/// <summary>Text, copied when set and not empty.</summary>
internal sealed class TextRule(string variable, string key) : EnvironmentRule
{
    private readonly string _variable = Checked(variable);
    private readonly string _key = Checked(key);

    public override void Apply(EnvironmentWriter writer)
    {
        if (writer.Flat[_variable] is { } value && value.Trim().Length > 0)
        {
            writer.Set(_key, value.Trim(), _variable);
        }
    }

    internal static string Checked(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name;
    }
}

/// <summary>A whole number, copied when set and not empty.</summary>
internal sealed class NumberRule(string variable, string key) : EnvironmentRule
{
    private readonly string _variable = TextRule.Checked(variable);
    private readonly string _key = TextRule.Checked(key);

    public override void Apply(EnvironmentWriter writer)
    {
        if (writer.Flat[_variable] is not { } value || value.Trim().Length == 0)
        {
            return;
        }

        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            writer.Set(_key, number.ToString(CultureInfo.InvariantCulture), _variable);
        }
        else
        {
            writer.Problem(_key, $"{_variable}: expected a whole number, got '{value}'.");
        }
    }
}

/// <summary>A boolean in any of the spellings people write in an environment.</summary>
internal sealed class FlagRule(string variable, string key) : EnvironmentRule
{
    private readonly string _variable = TextRule.Checked(variable);
    private readonly string _key = TextRule.Checked(key);

    public override void Apply(EnvironmentWriter writer)
    {
        var value = writer.Flat[_variable];
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "true" or "1" or "yes":
                writer.Set(_key, "true", _variable);
                break;
            case "false" or "0" or "no":
                writer.Set(_key, "false", _variable);
                break;
            default:
                writer.Problem(_key, $"{_variable}: expected true or false, got '{value}'.");
                break;
        }
    }
}

/// <summary>One of a few words, compared in any case.</summary>
internal sealed class OneOfRule(string variable, string key, string[] values) : EnvironmentRule
{
    private readonly string _variable = TextRule.Checked(variable);
    private readonly string _key = TextRule.Checked(key);
    private readonly string[] _values = values is { Length: > 0 } ? values : throw new ArgumentException("Name at least one accepted value.", nameof(values));

    public override void Apply(EnvironmentWriter writer)
    {
        if (writer.Flat[_variable] is not { } value || value.Trim().Length == 0)
        {
            return;
        }

        if (_values.FirstOrDefault(accepted => accepted.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase)) is { } match)
        {
            writer.Set(_key, match, _variable);
        }
        else
        {
            var expected = _values.Length == 1 ? _values[0] : $"{string.Join(", ", _values[..^1])} or {_values[^1]}";
            writer.Problem(_key, $"{_variable}: expected {expected}, got '{value}'.");
        }
    }
}

/// <summary>A comma-separated list that replaces the section's whole list whenever the variable exists.</summary>
internal sealed class ListRule(string variable, string key) : EnvironmentRule
{
    private readonly string _variable = TextRule.Checked(variable);
    private readonly string _key = TextRule.Checked(key);

    public override void Apply(EnvironmentWriter writer)
    {
        if (writer.Flat[_variable] is not { } value)
        {
            return;
        }

        writer.RemoveUnder(_key);
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < items.Length; i++)
        {
            writer.Set($"{_key}:{i.ToString(CultureInfo.InvariantCulture)}", items[i], _variable);
        }
    }
}

/// <summary><c>name=value</c> items separated by <c>;</c> that replace the section's whole dictionary whenever the variable exists.</summary>
internal sealed class PairsRule(string variable, string key, string valueName) : EnvironmentRule
{
    private readonly string _variable = TextRule.Checked(variable);
    private readonly string _key = TextRule.Checked(key);
    private readonly string _valueName = TextRule.Checked(valueName);

    public override void Apply(EnvironmentWriter writer)
    {
        if (writer.Flat[_variable] is not { } value)
        {
            return;
        }

        writer.RemoveUnder(_key);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? string.Empty : item[..equals].Trim();
            var itemValue = equals < 0 ? string.Empty : item[(equals + 1)..].Trim();
            if (name.Length == 0 || itemValue.Length == 0 || name.Contains(':', StringComparison.Ordinal))
            {
                writer.Problem(_key, $"{_variable}: expected <name>=<{_valueName}> items separated by ';' (a name without ':'), got '{item}'.");
            }
            else if (!seen.Add(name))
            {
                writer.Problem(_key, $"{_variable}: the name '{name}' is given more than once (names ignore case).");
            }
            else
            {
                writer.Set($"{_key}:{name}", itemValue, _variable);
            }
        }
    }
}

/// <summary>A family of variables <c>&lt;prefix&gt;&lt;NAME&gt;</c>, one dictionary entry each.</summary>
internal sealed class PrefixRule(string prefix, string key, string valueName) : EnvironmentRule
{
    private readonly string _prefix = TextRule.Checked(prefix);
    private readonly string _key = TextRule.Checked(key);
    private readonly string _valueName = TextRule.Checked(valueName);

    public override void Apply(EnvironmentWriter writer)
    {
        foreach (var (variable, value) in writer.FlatWithPrefix(_prefix))
        {
            var name = variable[_prefix.Length..];
            if (name.Length == 0 || value.Trim().Length == 0)
            {
                writer.Problem(_key, $"{variable}: expected {_prefix}<NAME>=<{_valueName}>, got '{value}'.");
                continue;
            }

            writer.Set($"{_key}:{name}", value.Trim(), variable);
        }
    }
}

/// <summary>A package-wide key copied into one options object's own section.</summary>
internal sealed class CopyRule(string from, string to) : EnvironmentRule
{
    private readonly string _from = TextRule.Checked(from);
    private readonly string _to = TextRule.Checked(to);

    public override void Apply(EnvironmentWriter writer) => writer.CopyValue(_from, _to);
}
