using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;

namespace Gateway.Storage.Conformance;

/// <summary>
/// A fresh, empty, fully migrated database of one backend, with every store over it. Disposing it
/// removes the database.
/// </summary>
public abstract class StoreUnderTest : IAsyncDisposable
{
    /// <summary>Conversations and messages.</summary>
    public abstract IConversationStore Conversations { get; }

    /// <summary>Full-text search.</summary>
    public abstract IMessageSearch Search { get; }

    /// <summary>Export and import.</summary>
    public abstract IConversationArchive Archive { get; }

    /// <summary>Model profiles.</summary>
    public abstract IModelProfileStore Profiles { get; }

    /// <summary>Spaces and their profile links.</summary>
    public abstract ISpaceStore Spaces { get; }

    /// <summary>RAG collections, their documents and their links to spaces.</summary>
    public abstract IRagCollectionStore RagCollections { get; }

    /// <summary>The chunks of RAG collections as records with vectors, searched by vector and by keyword.</summary>
    public abstract IVectorStore Vectors { get; }

    /// <summary>Durable jobs and their events, on the system clock.</summary>
    public abstract IJobStore Jobs { get; }

    /// <summary>A job store over this client's database on <paramref name="time"/>, for tests that move the clock to expire leases.</summary>
    public abstract IJobStore OpenJobStore(TimeProvider time);

    /// <summary>The folder sources of RAG collections over this client's database, on <paramref name="time"/> (claims expire when the test moves it).</summary>
    public abstract IRagSourceStore OpenRagSourceStore(TimeProvider time);

    /// <summary>Brings the search index up to date after a bulk import (the backend's background work, run now).</summary>
    public abstract Task CatchUpSearchIndexAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a second, independent set of stores on the same database, as another process or replica would.</summary>
    public abstract Task<StoreUnderTest> OpenSecondClientAsync();

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
