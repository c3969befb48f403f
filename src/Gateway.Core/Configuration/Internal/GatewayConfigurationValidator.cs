using Microsoft.Extensions.Options;

namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// Fails <typeparamref name="TOptions"/> at start-up when a variable of its section could not be
/// mapped or a key could not be converted; the options' own validators report the rest at the same time.
/// </summary>
internal sealed class GatewayConfigurationValidator<TOptions>(GatewayConfiguration configuration, GatewayBindingErrors<TOptions> errors)
    : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = configuration.ProblemsOf(typeof(TOptions)).Concat(errors.Current).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
