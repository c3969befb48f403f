namespace Gateway.AspNetCore.Configuration.Internal;

/// <summary>Registered by <c>AddHttpApi()</c>, so a second call adds nothing and <c>MapGateway()</c> can tell it was called.</summary>
internal sealed class HttpApiMarker;
