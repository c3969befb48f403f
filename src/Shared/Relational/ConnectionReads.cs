using System.Data.Common;

namespace Gateway.Storage.Relational;

/// <summary>Runs reads on an open connection of one database, whatever its engine: what the shared store code needs of a database.</summary>
internal interface IConnectionReads
{
    Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken);
}
