namespace Gateway.Core.Errors;

/// <summary>
/// The class of a <see cref="GatewayException"/>. The HTTP layer maps each kind to one status code,
/// so Core never needs to know about HTTP.
/// </summary>
public enum GatewayErrorKind
{
    /// <summary>The request is malformed or violates a rule (HTTP 400).</summary>
    InvalidRequest,

    /// <summary>The caller did not present a valid credential (HTTP 401).</summary>
    Unauthenticated,

    /// <summary>The request is understood but not permitted, e.g. a model outside the allowlist (HTTP 403).</summary>
    Forbidden,

    /// <summary>A named resource, such as a route key, does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>The request is ambiguous in the current state, e.g. no model named and several routes (HTTP 409).</summary>
    Conflict,

    /// <summary>The request body is larger than the configured limit (HTTP 413).</summary>
    PayloadTooLarge,

    /// <summary>The upstream model server failed or rejected the gateway (HTTP 502).</summary>
    UpstreamFailure,

    /// <summary>The upstream model server did not answer in time (HTTP 504).</summary>
    UpstreamTimeout,

    /// <summary>A resource the gateway depends on, such as its database, is temporarily unable to serve (HTTP 503).</summary>
    Unavailable,
}
