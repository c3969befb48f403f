namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Endpoint metadata: how the endpoint's request names a field that a gateway error names as the
/// gateway's own API does (<c>options.temperature</c>, <c>modelKey</c>), so the error names the field
/// the caller sent.
/// </summary>
internal interface IRequestFieldNames
{
    /// <summary>The endpoint's name for <paramref name="field"/>; the field itself when the endpoint calls it the same.</summary>
    string Rename(string field);
}
