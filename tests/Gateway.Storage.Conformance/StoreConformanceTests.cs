using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Conversations.Archive;
using Gateway.Core.Storage.Profiles;

namespace Gateway.Storage.Conformance;

/// <summary>
/// The base of every conformance class: each test gets a fresh database from <see cref="CreateStoreAsync"/>.
/// A backend that legitimately differs overrides the test with a written reason.
/// </summary>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    private StoreUnderTest? _store;

    /// <summary>The stores of the current test's fresh database.</summary>
    protected StoreUnderTest Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates a fresh, empty, migrated database of the backend under test.</summary>
    protected abstract Task<StoreUnderTest> CreateStoreAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>Reads every page of a listing, from the first; returns the items in order and each page's size.</summary>
    protected static async Task<(List<T> Items, List<int> PageSizes)> ListAllAsync<T>(Func<string?, Task<Page<T>>> listPage)
    {
        var items = new List<T>();
        var sizes = new List<int>();
        string? cursor = null;
        do
        {
            var page = await listPage(cursor);
            items.AddRange(page.Items);
            sizes.Add(page.Items.Count);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return (items, sizes);
    }

    /// <summary>
    /// Runs <paramref name="count"/> attempts at once on the thread pool; returns what the ones that
    /// succeeded returned and the <see cref="GatewayException"/>s of the rest.
    /// </summary>
    protected static async Task<(List<T> Won, List<GatewayException> Lost)> RaceAsync<T>(int count, Func<int, Task<T>> attempt)
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            try
            {
                return (Value: await attempt(i), Error: (GatewayException?)null);
            }
            catch (GatewayException error)
            {
                return (Value: default(T), Error: error);
            }
        })));
        return ([.. outcomes.Where(o => o.Error is null).Select(o => o.Value!)], [.. outcomes.Select(o => o.Error).OfType<GatewayException>()]);
    }

    /// <summary>Record equality, except metadata (compared as JSON) and stop sequences (compared by items).</summary>
    protected static void AssertSameProfile(ModelProfile expected, ModelProfile actual)
    {
        Assert.True(JsonElement.DeepEquals(expected.Metadata, actual.Metadata), $"metadata {expected.Metadata} != {actual.Metadata}");
        Assert.Equal(expected.Stop, actual.Stop);
        Assert.Equal(expected with { Metadata = default, Stop = [] }, actual with { Metadata = default, Stop = [] });
    }

    /// <summary>Asserts that <paramref name="action"/> throws a <see cref="GatewayException"/> with <paramref name="errorCode"/>.</summary>
    protected static async Task<GatewayException> AssertErrorAsync(string errorCode, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<GatewayException>(action);
        Assert.Equal(errorCode, error.ErrorCode);
        return error;
    }

    /// <summary>
    /// Exports this store's conversations to a file, imports the file into a fresh store, and asserts that the
    /// one conversation <paramref name="conversationId"/> arrives whole and equal to <paramref name="written"/>.
    /// </summary>
    protected async Task AssertArchiveRoundTripAsync(string conversationId, IReadOnlyList<ConversationMessage> written)
    {
        using var file = new MemoryStream();
        await ConversationArchiveWriter.WriteAsync(file, Store.Archive.ExportAsync(), TimeProvider.System);
        file.Position = 0;

        await using var fresh = await CreateStoreAsync();
        var result = await fresh.Archive.ImportAsync(ConversationArchiveReader.ReadAsync(file, TimeProvider.System));

        Assert.Equal(new ImportResult(1, written.Count, 0), result);
        Assert.Equal(written, await fresh.Conversations.GetBranchAsync(conversationId));
    }
}
