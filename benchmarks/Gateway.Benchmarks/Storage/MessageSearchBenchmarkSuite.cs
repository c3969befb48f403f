using BenchmarkDotNet.Attributes;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Benchmarks.Storage;

/// <summary>
/// Search over the 1,000,000-message corpus, one query class per parameter, 20 hits with snippets, the
/// same for every engine: the store's search, and the same scoped to one conversation and to one space
/// of ten. Each engine adds its baseline (the engine's own plain full-text ranking of every match,
/// no snippets) and opens its store.
/// </summary>
public abstract class MessageSearchBenchmarkSuite
{
    /// <summary>The query of each class, with its match counts in the corpus.</summary>
    protected static readonly Dictionary<string, string> Queries = new()
    {
        ["rare"] = "lavaro",                 // 250 messages
        ["mid"] = "solrute",                 // 7,466 messages
        ["common"] = "vet",                  // 494,180 messages
        ["and"] = "robje zenu",              // 24,542 and 136,562 messages; 3,280 with both
        ["phrase"] = "\"cavi hic\"",         // two words in 92% and 71% of messages, adjacent in 35,419
        ["prefix"] = "hic*",                 // every word starting with hic: 720,648 messages
    };

    private IMessageSearch _search = null!;
    private string _conversationId = null!;

    [Params("rare", "mid", "common", "and", "phrase", "prefix")]
    public string Query { get; set; } = "rare";

    [GlobalSetup]
    public void Setup()
    {
        _search = Open(Queries[Query]);

        // A conversation from the middle of the corpus's history.
        _conversationId = SearchCorpus.ConversationId(SearchCorpus.ConversationCount / 2);
    }

    [GlobalCleanup]
    public void Cleanup() => Close();

    [Benchmark(Description = "Search, 20 hits + snippets")]
    public async Task<int> Search() => (await _search.SearchAsync(new MessageSearchQuery(Queries[Query]))).Hits.Count;

    [Benchmark(Description = "Search in a conversation")]
    public async Task<int> SearchConversation() =>
        (await _search.SearchAsync(new MessageSearchQuery(Queries[Query], ConversationId: _conversationId))).Hits.Count;

    [Benchmark(Description = "Search in a space")]
    public async Task<int> SearchSpace() =>
        (await _search.SearchAsync(new MessageSearchQuery(Queries[Query], SpaceId: SearchCorpus.SpaceId(3)))).Hits.Count;

    /// <summary>Opens the corpus: the store's search, and the baseline's connection and command for <paramref name="query"/>.</summary>
    protected abstract IMessageSearch Open(string query);

    /// <summary>Closes what <see cref="Open"/> opened.</summary>
    protected abstract void Close();
}
