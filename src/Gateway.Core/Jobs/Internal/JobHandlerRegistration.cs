namespace Gateway.Core.Jobs.Internal;

/// <summary>That jobs of <paramref name="Kind"/> run on <paramref name="HandlerType"/>; one per <c>AddJobHandler&lt;T&gt;(kind)</c>.</summary>
internal sealed record JobHandlerRegistration(string Kind, Type HandlerType);
