using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// Binds <typeparamref name="TOptions"/> from its section of the <see cref="GatewayConfiguration"/> with
/// the ordinary configuration binder, one top-level key at a time, so a value of the wrong type is
/// reported (naming its variable, or the section) and every other key is still bound.
/// </summary>
internal sealed class GatewayOptionsBinder<TOptions>(GatewayConfiguration configuration, string section, GatewayBindingErrors<TOptions> errors)
    : IConfigureOptions<TOptions>
    where TOptions : class
{
    public void Configure(TOptions options)
    {
        var found = new List<string>();
        foreach (var child in configuration.Root.GetSection(section).GetChildren())
        {
            var keys = child.AsEnumerable().ToList();
            try
            {
                new ConfigurationBuilder().AddInMemoryCollection(keys).Build().GetSection(section).Bind(options);
            }
            catch (InvalidOperationException ex)
            {
                // The binder names the key it could not convert; say which variable set it, if one did.
                var failed = keys.FirstOrDefault(pair => pair.Value is not null && ex.Message.Contains($"'{pair.Key}'", StringComparison.OrdinalIgnoreCase)).Key;
                var variable = failed is null ? null : configuration.VariableOf(failed);
                found.Add($"{variable ?? section + " section"}: {ex.Message}");
            }
        }

        errors.Current = found;
    }
}
