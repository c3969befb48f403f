namespace Gateway.Core.Configuration.Internal;

/// <summary>What the last binding of <typeparamref name="TOptions"/> could not convert; reported by <see cref="GatewayConfigurationValidator{TOptions}"/>.</summary>
internal sealed class GatewayBindingErrors<TOptions>
    where TOptions : class
{
    public IReadOnlyList<string> Current { get; set; } = [];
}
