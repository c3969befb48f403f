namespace Gateway.AspNetCore.Authentication.Internal;

/// <summary>The outcome of checking a request's API key; an enum keeps the hot path free of exceptions.</summary>
internal enum ApiKeyCheck
{
    Accepted,
    Missing,
    Invalid,
    RemoteWithoutKeys,
}
