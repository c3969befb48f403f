namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Endpoint metadata: an error status an endpoint can answer with and the <c>errorCode</c> values its
/// problem body carries then. The OpenAPI document lists them as the operation's error responses.
/// </summary>
internal sealed record GatewayErrorResponse(int StatusCode, IReadOnlyList<string> ErrorCodes);
