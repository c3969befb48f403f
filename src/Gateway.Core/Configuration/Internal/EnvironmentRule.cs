namespace Gateway.Core.Configuration.Internal;

/// <summary>One way a flat variable (or a family of them) becomes keys of the gateway configuration.</summary>
internal abstract class EnvironmentRule
{
    /// <summary>Reads its variables from <see cref="EnvironmentWriter.Flat"/> and writes the keys they stand for.</summary>
    public abstract void Apply(EnvironmentWriter writer);
}
