using System.Text;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Postgres.Tests.Conversations;

/// <summary>What only the PostgreSQL backend has to get right: the limits of its types, said as 400s, not failed inserts.</summary>
public sealed class PostgresStorageBehaviourTests : IAsyncLifetime
{
    private PostgresStoreUnderTest _store = null!;

    public async Task InitializeAsync() => _store = await PostgresStoreUnderTest.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task AppendMessage_NulCharacter_IsInvalidRequestNamingTheField()
    {
        var conversation = await _store.Conversations.CreateConversationAsync(new NewConversation());

        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            _store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "before\0after")));

        Assert.Equal(GatewayErrorCodes.InvalidRequest, error.ErrorCode);
        Assert.Contains("message.content", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConversation_MetadataWithNul_IsInvalidRequest()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            _store.Conversations.CreateConversationAsync(new NewConversation(Metadata: JsonElement.Parse("""{"a":"x\u0000y"}"""))));

        Assert.Equal(GatewayErrorCodes.InvalidRequest, error.ErrorCode);
    }

    [Fact]
    public async Task AppendMessage_LargerThanATsvectorHolds_IsStoredWholeAndItsStartIsSearchable()
    {
        // 2 MB of distinct words: the whole text's tsvector would pass PostgreSQL's 1 MB limit.
        var text = new StringBuilder("aardvark ");
        for (var i = 0; text.Length < 2_000_000; i++)
        {
            text.Append("word").Append(i).Append(' ');
        }

        var conversation = await _store.Conversations.CreateConversationAsync(new NewConversation());
        var message = await _store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", text.ToString()));

        var stored = Assert.Single(await _store.Conversations.GetBranchAsync(conversation.Id));
        var hits = await _store.Search.SearchAsync(new MessageSearchQuery("aardvark"));
        Assert.Equal(text.Length, stored.Content.Length);
        Assert.Equal([message.Id], hits.Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task SearchAsync_PrefixAndExcludedPhraseTogether_CombineBothQueryKinds()
    {
        var conversation = await _store.Conversations.CreateConversationAsync(new NewConversation());
        var kept = await _store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "programming in the morning"));
        await _store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "programming late at night"));

        var results = await _store.Search.SearchAsync(new MessageSearchQuery("progr* -\"late at\""));

        var hit = Assert.Single(results.Hits);
        Assert.Equal(kept.Id, hit.MessageId);
        Assert.Contains("<mark>programming</mark>", hit.Snippet, StringComparison.Ordinal);
    }
}
