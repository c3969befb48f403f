namespace Gateway.Core.Errors;

/// <summary>
/// A failure the gateway expects and can describe: it carries a stable <see cref="ErrorCode"/>, a
/// <see cref="Kind"/> that the HTTP layer maps to a status code, and optional extra members
/// (for example the list of available route keys) that become part of the problem details body.
/// </summary>
public sealed class GatewayException : Exception
{
    /// <summary>Creates a gateway error.</summary>
    /// <param name="kind">The class of failure.</param>
    /// <param name="errorCode">One of <see cref="GatewayErrorCodes"/>.</param>
    /// <param name="message">A sentence for a human that says what is wrong and, where possible, how to fix it.</param>
    /// <param name="extensions">Extra members for the problem body; may be <see langword="null"/>.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public GatewayException(
        GatewayErrorKind kind,
        string errorCode,
        string message,
        IReadOnlyDictionary<string, object?>? extensions = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        Kind = kind;
        ErrorCode = errorCode;
        Extensions = extensions ?? EmptyExtensions;
    }

    /// <summary>Creates the error for a request field that is missing or out of range (HTTP 400, <c>invalid_request</c>).</summary>
    /// <param name="field">The field's path in the request, e.g. <c>messages[2].role</c>.</param>
    /// <param name="problem">What is wrong with it and what is expected.</param>
    public static GatewayException InvalidField(string field, string problem) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.InvalidRequest,
        $"{field}: {problem}",
        new Dictionary<string, object?> { ["field"] = field });

    private static readonly IReadOnlyDictionary<string, object?> EmptyExtensions = new Dictionary<string, object?>();

    /// <summary>The class of failure.</summary>
    public GatewayErrorKind Kind { get; }

    /// <summary>The stable machine-readable code, one of <see cref="GatewayErrorCodes"/>.</summary>
    public string ErrorCode { get; }

    /// <summary>Extra members for the problem details body.</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; }
}
