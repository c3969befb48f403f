using System.Data.Common;
using Polly;

namespace Gateway.Storage.Relational;

/// <summary>
/// Runs one database's reads and writes: a read on an open connection, a write in one transaction
/// committed at its end. A write that fails with one of the engine's <see cref="TransientErrors"/>
/// runs again from the start through one Polly retry pipeline on the injected
/// <see cref="TimeProvider"/>; once the attempts are spent the caller gets
/// <see cref="TransientErrors.Busy"/> (HTTP 503), never the driver's exception.
/// </summary>
internal sealed class TransactionRunner<TConnection, TTransaction> : IConnectionReads, IConnectionWrites
    where TConnection : DbConnection
    where TTransaction : DbTransaction
{
    private readonly Func<CancellationToken, ValueTask<TConnection>> _open;
    private readonly Func<TConnection, CancellationToken, ValueTask<TTransaction>> _begin;
    private readonly TransientErrors _errors;

    /// <param name="open">Opens a connection ready for use.</param>
    /// <param name="begin">Begins a write transaction on it, the way the engine takes its write lock.</param>
    /// <param name="errors">The engine's transient errors.</param>
    /// <param name="time">The clock the retry delays run on.</param>
    public TransactionRunner(
        Func<CancellationToken, ValueTask<TConnection>> open,
        Func<TConnection, CancellationToken, ValueTask<TTransaction>> begin,
        TransientErrors errors,
        TimeProvider time)
    {
        _open = open;
        _begin = begin;
        _errors = errors;
        Retry = errors.CreatePipeline(time);
    }

    /// <summary>The retry pipeline for the engine's transient errors; it rethrows the last error when every attempt failed.</summary>
    public ResiliencePipeline Retry { get; }

    public async Task<T> ReadAsync<T>(Func<TConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var connection = await _open(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await read(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    Task<T> IConnectionReads.ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        ReadAsync<T>((connection, ct) => read(connection, ct), cancellationToken);

    /// <summary>Runs <paramref name="read"/> on a fresh connection, retried whole on a transient error: for a batch that is its own transaction.</summary>
    public Task<T> ReadRetriedAsync<T>(Func<TConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return RunAsync(Retry, (self: this, read), static (state, ct) => state.self.ReadAsync(state.read, ct), cancellationToken);
    }

    /// <summary>Runs <paramref name="write"/> in one transaction, retried whole on a transient error; it must be safe to start over.</summary>
    public Task<T> WriteAsync<T>(Func<TConnection, TTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return RunAsync(Retry, (self: this, write), static (state, ct) => state.self.TransactAsync(state.write, ct), cancellationToken);
    }

    Task<T> IConnectionWrites.WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        WriteAsync<T>((connection, transaction, ct) => write(connection, transaction, ct), cancellationToken);

    /// <summary>Runs <paramref name="write"/> in one transaction, once: for work that cannot start over, such as an import reading a stream.</summary>
    public Task<T> WriteOnceAsync<T>(Func<TConnection, TTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return RunAsync(ResiliencePipeline.Empty, (self: this, write), static (state, ct) => state.self.TransactAsync(state.write, ct), cancellationToken);
    }

    private async Task<T> RunAsync<TState, T>(
        ResiliencePipeline pipeline, TState state, Func<TState, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(
                static async (context, ct) => await context.work(context.state, ct).ConfigureAwait(false),
                (state, work),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (_errors.IsTransient(error))
        {
            throw _errors.Busy(error);
        }
    }

    private async Task<T> TransactAsync<T>(Func<TConnection, TTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        var connection = await _open(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _begin(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await write(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }
}
