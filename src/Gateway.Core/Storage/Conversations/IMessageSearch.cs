namespace Gateway.Core.Storage.Conversations;

/// <summary>Full-text search over stored messages.</summary>
public interface IMessageSearch
{
    /// <summary>
    /// Finds messages matching <paramref name="query"/>, best first. The query text is the documented
    /// safe syntax of <see cref="SearchQuerySyntax"/>, never raw backend syntax; text it cannot
    /// parse is a <see cref="Errors.GatewayErrorCodes.InvalidSearchQuery"/> error.
    /// </summary>
    Task<MessageSearchResults> SearchAsync(MessageSearchQuery query, CancellationToken cancellationToken = default);
}
