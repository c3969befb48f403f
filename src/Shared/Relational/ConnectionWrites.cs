using System.Data.Common;

namespace Gateway.Storage.Relational;

/// <summary>
/// Runs writes in one transaction of one database, whatever its engine, begun the way the engine takes its
/// write lock and retried whole on the engine's transient errors: what the shared store code needs to write.
/// </summary>
internal interface IConnectionWrites
{
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken);
}
