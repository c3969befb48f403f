namespace Gateway.Architecture.Tests;

/// <summary>
/// Judges dependency edges against package rules and heavy stacks, and says, for each edge the rules
/// forbid, which edge it is, where it was seen and which rule of ADR 0001 it breaks.
/// </summary>
public sealed class BoundaryChecker(
    IReadOnlyList<PackageRule> rules,
    IReadOnlyList<string> capabilities,
    IReadOnlyList<HeavyStack> heavyStacks)
{
    public IReadOnlyList<string> Violations(IEnumerable<string> packages, IEnumerable<DependencyEdge> edges)
    {
        var violations = new List<string>();
        foreach (var package in packages.Where(package => RuleFor(package) is null))
        {
            violations.Add($"{package} is not in ADR 0001's table: add a row saying what it may depend on to {Adr0001.Path} and to {nameof(Adr0001)}.{nameof(Adr0001.Rules)}.");
        }

        foreach (var edge in edges)
        {
            if (RuleFor(edge.From) is { } rule && Violation(rule, edge) is { } violation)
            {
                violations.Add(violation);
            }
        }

        return violations;
    }

    private string? Violation(PackageRule rule, DependencyEdge edge)
    {
        if (PackageNames.IsGateway(edge.To))
        {
            if (rule.MayReference.Any(allowed => PackageNames.Same(allowed, edge.To)))
            {
                return null;
            }

            var allowedList = rule.MayReference.Count == 0 ? "no other Gateway package" : "only " + string.Join(", ", rule.MayReference);
            return $"{edge}: ADR 0001 lets {edge.From} reference {allowedList}; what two packages share must be a contract in Gateway.Core ({Adr0001.Path}).";
        }

        if (heavyStacks.FirstOrDefault(stack => stack.Contains(edge.To)) is { } stack)
        {
            return stack.Owners.Any(owner => PackageNames.Same(owner, edge.From))
                ? null
                : $"{edge}: {edge.To} is {stack.Name}, which ADR 0001 keeps in {string.Join(", ", stack.Owners)} only ({Adr0001.Path}).";
        }

        return rule.OnlyExternal is { } only && !only.Any(prefix => PackageNames.HasPrefix(edge.To, prefix))
            ? $"{edge}: ADR 0001 lets {edge.From} depend on {string.Join(", ", only.Select(prefix => prefix + ".*"))} only ({Adr0001.Path})."
            : null;
    }

    /// <summary>
    /// The package's row; a provider package named after its capability (<c>Gateway.Training.TorchSharp</c>)
    /// sits under it and may reference what the capability may, and the capability itself.
    /// </summary>
    private PackageRule? RuleFor(string package)
    {
        if (rules.FirstOrDefault(rule => PackageNames.Same(rule.PackageId, package)) is { } rule)
        {
            return rule;
        }

        var capability = capabilities.FirstOrDefault(capability => !PackageNames.Same(package, capability) && PackageNames.HasPrefix(package, capability));
        return capability is not null && rules.FirstOrDefault(rule => PackageNames.Same(rule.PackageId, capability)) is { } capabilityRule
            ? new PackageRule(package, [.. capabilityRule.MayReference, capability])
            : null;
    }
}
