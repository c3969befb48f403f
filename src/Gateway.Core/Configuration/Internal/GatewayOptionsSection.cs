namespace Gateway.Core.Configuration.Internal;

/// <summary>Registered for each options type bound from the gateway configuration: which section it binds.</summary>
/// <param name="Options">The options type.</param>
/// <param name="Name">Its section, e.g. <c>Gateway:Http</c>.</param>
internal sealed record GatewayOptionsSection(Type Options, string Name);
