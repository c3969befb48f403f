using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Reading a page of 50 from the 1,000,000-message corpus (20,000 conversations), the same for every
/// engine: a conversation's messages (its active branch, oldest first) and the newest conversations,
/// first page and a page deep in the listing (by cursor). Each engine adds the bare keyset SELECT of
/// the same rows as the baseline of each category, and opens its store.
/// </summary>
public abstract class ConversationListBenchmarkSuite
{
    private IConversationStore _store = null!;
    private string _deepCursor = null!;

    /// <summary>The conversation whose messages are listed: one from the middle of the corpus's history.</summary>
    protected static string ConversationId { get; } = SearchCorpus.ConversationId(SearchCorpus.ConversationCount / 2);

    [GlobalSetup]
    public void Setup()
    {
        _store = Open();

        // The cursor 10,000 conversations deep: the next page is the 201st of 50.
        var page = _store.ListConversationsAsync(new ConversationQuery(Limit: 200)).GetAwaiter().GetResult();
        for (var i = 1; i < 50; i++)
        {
            page = _store.ListConversationsAsync(new ConversationQuery(Limit: 200, Cursor: page.NextCursor)).GetAwaiter().GetResult();
        }

        _deepCursor = page.NextCursor!;
    }

    [GlobalCleanup]
    public void Cleanup() => Close();

    [BenchmarkCategory("Messages"), Benchmark(Description = "Store: ListMessagesAsync, active branch")]
    public async Task<int> ListMessages() => (await _store.ListMessagesAsync(ConversationId, new MessageQuery(Limit: 50))).Items.Count;

    [BenchmarkCategory("Conversations"), Benchmark(Description = "Store: ListConversationsAsync, first page")]
    public async Task<int> ListConversations() => (await _store.ListConversationsAsync(new ConversationQuery(Limit: 50))).Items.Count;

    [BenchmarkCategory("Conversations"), Benchmark(Description = "Store: ListConversationsAsync, page 201")]
    public async Task<int> ListConversationsDeep() =>
        (await _store.ListConversationsAsync(new ConversationQuery(Limit: 50, Cursor: _deepCursor))).Items.Count;

    /// <summary>Opens the corpus: the store, and the baselines' connection and commands.</summary>
    protected abstract IConversationStore Open();

    /// <summary>Closes what <see cref="Open"/> opened.</summary>
    protected abstract void Close();

    /// <summary>Reads every value of every row of <paramref name="command"/>, as a store's mapping would; returns the row count.</summary>
    protected static int Drain(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var reader = command.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.GetValue(i);
            }

            count++;
        }

        return count;
    }
}
