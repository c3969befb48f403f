using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Conformance;

/// <summary>
/// Full-text search as every backend must do it: bm25 ranking, marked and escaped snippets, the safe
/// query syntax (phrases, prefixes, exclusions, hostile text as plain words), scoping, stable pages,
/// a reported candidate cap, and an index that follows every write.
/// </summary>
public abstract class MessageSearchConformanceTests : StoreConformanceTests
{
    /// <summary>A search over <paramref name="store"/>'s database that ranks at most <paramref name="candidateLimit"/> of the newest matches.</summary>
    protected abstract IMessageSearch CreateSearch(StoreUnderTest store, int candidateLimit);

    [Fact]
    public async Task SearchAsync_Match_ReturnsHitWithMessageDetails()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation("Zoo"));
        await AppendAsync(conversation.Id, "nothing to see here");
        var message = await Store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "the zebra has stripes"));

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("zebra"));

        var hit = Assert.Single(results.Hits);
        Assert.Equal(conversation.Id, hit.ConversationId);
        Assert.Equal(message.Id, hit.MessageId);
        Assert.Equal("assistant", hit.Role);
        Assert.Equal(message.CreatedAt, hit.CreatedAt);
        Assert.True(hit.Score > 0, $"score {hit.Score} should be positive");
        Assert.Null(results.NextCursor);
        Assert.False(results.CandidatesTruncated);
        Assert.Equal(0, results.PendingIndexMessages);
    }

    [Fact]
    public async Task SearchAsync_NoMatch_ReturnsNoHits()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        await AppendAsync(conversation.Id, "the zebra has stripes");

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("giraffe"));

        Assert.Empty(results.Hits);
        Assert.Null(results.NextCursor);
    }

    [Fact]
    public async Task SearchAsync_MoreOccurrences_RanksHigher()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var once = await AppendAsync(conversation.Id, "zebra alpha beta gamma delta epsilon");
        var thrice = await AppendAsync(conversation.Id, "zebra alpha zebra gamma zebra epsilon");
        var twice = await AppendAsync(conversation.Id, "zebra alpha beta zebra delta epsilon");

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("zebra"));

        Assert.Equal([thrice.Id, twice.Id, once.Id], results.Hits.Select(h => h.MessageId));
        Assert.True(results.Hits[0].Score > results.Hits[1].Score && results.Hits[1].Score > results.Hits[2].Score);
    }

    [Fact]
    public async Task SearchAsync_Snippet_MarksEveryMatch()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        await AppendAsync(conversation.Id, "The quick brown Fox jumps over the lazy dog, and the fox sleeps");

        var hit = Assert.Single((await Store.Search.SearchAsync(new MessageSearchQuery("fox"))).Hits);

        Assert.Contains(MessageSearchResults.MatchStart + "Fox" + MessageSearchResults.MatchEnd, hit.Snippet, StringComparison.Ordinal);
        Assert.Contains(MessageSearchResults.MatchStart + "fox" + MessageSearchResults.MatchEnd, hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_LongMessage_SnippetIsAnExcerptAroundTheMatch()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var filler = string.Join(' ', Enumerable.Range(0, 200).Select(i => "filler" + i));
        await AppendAsync(conversation.Id, filler + " needle " + filler);

        var hit = Assert.Single((await Store.Search.SearchAsync(new MessageSearchQuery("needle"))).Hits);

        Assert.Contains("<mark>needle</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.True(hit.Snippet.Length < 400, $"snippet of {hit.Snippet.Length} characters is not an excerpt");
    }

    [Fact]
    public async Task SearchAsync_MarkupInContent_IsEscapedSoMarksAreTheOnlyTags()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        await AppendAsync(conversation.Id, "<script>alert('x')</script> <mark>fake</mark> & zebra");

        var hit = Assert.Single((await Store.Search.SearchAsync(new MessageSearchQuery("zebra"))).Hits);

        Assert.DoesNotContain("<script>", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;mark&gt;fake", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("&amp;", hit.Snippet, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(hit.Snippet, MessageSearchResults.MatchStart));
    }

    [Fact]
    public async Task SearchAsync_Phrase_MatchesWordsInOrderOnly()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var inOrder = await AppendAsync(conversation.Id, "a quick brown fox");
        await AppendAsync(conversation.Id, "brown and quick");

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("\"quick brown\""));

        Assert.Equal([inOrder.Id], results.Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task SearchAsync_Words_MustAllMatch()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var both = await AppendAsync(conversation.Id, "brown dog and a fox");
        await AppendAsync(conversation.Id, "brown dog only");

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("fox brown"));

        Assert.Equal([both.Id], results.Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task SearchAsync_Prefix_MatchesLongerWordsOnlyWithStar()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var programming = await AppendAsync(conversation.Id, "I like programming");
        var progress = await AppendAsync(conversation.Id, "we made progress");
        await AppendAsync(conversation.Id, "a prologue");

        var prefixed = await Store.Search.SearchAsync(new MessageSearchQuery("progr*"));
        var plain = await Store.Search.SearchAsync(new MessageSearchQuery("progr"));

        Assert.Equal(new[] { programming.Id, progress.Id }.Order(), prefixed.Hits.Select(h => h.MessageId).Order());
        Assert.Empty(plain.Hits);
    }

    [Fact]
    public async Task SearchAsync_CaseAndDiacritics_AreIgnored()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var message = await AppendAsync(conversation.Id, "Un Café très crème");

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("CAFE"));

        Assert.Equal([message.Id], results.Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task SearchAsync_Exclusion_DropsMessagesWithTheTerm()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var tart = await AppendAsync(conversation.Id, "apple tart recipe");
        await AppendAsync(conversation.Id, "apple pie recipe");
        await AppendAsync(conversation.Id, "apple crumble with ice cream");

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("apple -pie -\"ice cream\""));

        Assert.Equal([tart.Id], results.Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task SearchAsync_ConversationScope_ReturnsOnlyThatConversation()
    {
        var first = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var second = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var mine = await AppendAsync(first.Id, "zebra in the first");
        await AppendAsync(second.Id, "zebra in the second");
        var mineLater = await AppendAsync(first.Id, "another zebra in the first");
        await AppendAsync(second.Id, "zebra again in the second");

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("zebra", ConversationId: first.Id));
        var unknown = await Store.Search.SearchAsync(new MessageSearchQuery("zebra", ConversationId: SortableId.Create(TimeProvider.System)));

        Assert.Equal(new[] { mine.Id, mineLater.Id }.Order(), results.Hits.Select(h => h.MessageId).Order());
        Assert.Empty(unknown.Hits);
    }

    [Fact]
    public async Task SearchAsync_SpaceScope_ReturnsOnlyThatSpace()
    {
        var work = await Store.Conversations.CreateConversationAsync(new NewConversation(SpaceId: "work"));
        var home = await Store.Conversations.CreateConversationAsync(new NewConversation(SpaceId: "home"));
        var none = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var atWork = await AppendAsync(work.Id, "zebra report");
        await AppendAsync(home.Id, "zebra at home");
        await AppendAsync(none.Id, "zebra nowhere");

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("zebra", SpaceId: "work"));
        var both = await Store.Search.SearchAsync(new MessageSearchQuery("zebra", ConversationId: home.Id, SpaceId: "work"));

        Assert.Equal([atWork.Id], results.Hits.Select(h => h.MessageId));
        Assert.Empty(both.Hits);
    }

    [Fact]
    public async Task SearchAsync_Pages_CoverEveryHitOnceBestFirst()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var expected = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            // Varying counts of the word give varying scores, and some ties.
            var repeats = 1 + (i % 4);
            expected.Add((await AppendAsync(conversation.Id, string.Join(' ', Enumerable.Repeat("zebra", repeats)) + " filler words here " + i)).Id);
        }

        var pages = await AllPagesAsync(Store.Search, new MessageSearchQuery("zebra", Limit: 10));

        Assert.Equal([10, 10, 5], pages.Select(p => p.Hits.Count));
        var hits = pages.SelectMany(p => p.Hits).ToList();
        Assert.Equal(expected.Order(), hits.Select(h => h.MessageId).Order());
        Assert.All(hits.Zip(hits.Skip(1)), pair => Assert.True(pair.First.Score >= pair.Second.Score));
    }

    [Fact]
    public async Task SearchAsync_NewMessagesBetweenPages_LaterPagesNeitherRepeatNorShift()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var before = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            before.Add((await AppendAsync(conversation.Id, $"zebra number {i}")).Id);
        }

        var first = await Store.Search.SearchAsync(new MessageSearchQuery("zebra", Limit: 5));
        for (var i = 0; i < 5; i++)
        {
            await AppendAsync(conversation.Id, "zebra zebra zebra arrived later");
        }

        var seen = first.Hits.Select(h => h.MessageId).ToList();
        var cursor = first.NextCursor;
        while (cursor is not null)
        {
            var page = await Store.Search.SearchAsync(new MessageSearchQuery("zebra", Limit: 5, Cursor: cursor));
            seen.AddRange(page.Hits.Select(h => h.MessageId));
            cursor = page.NextCursor;
        }

        Assert.Equal(before.Order(), seen.Order());
    }

    [Fact]
    public async Task SearchAsync_MoreMatchesThanCandidateLimit_RanksNewestAndSaysSo()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var messages = new List<ConversationMessage>();
        for (var i = 0; i < 8; i++)
        {
            messages.Add(await AppendAsync(conversation.Id, $"zebra message {i}"));
        }

        var search = CreateSearch(Store, candidateLimit: 5);
        var pages = await AllPagesAsync(search, new MessageSearchQuery("zebra", Limit: 2));
        var narrow = await search.SearchAsync(new MessageSearchQuery("zebra message 7"));

        Assert.All(pages, p => Assert.Equal(5, p.CandidateLimit));
        Assert.All(pages, p => Assert.True(p.CandidatesTruncated));
        Assert.Equal(messages.Skip(3).Select(m => m.Id).Order(), pages.SelectMany(p => p.Hits).Select(h => h.MessageId).Order());
        Assert.False(narrow.CandidatesTruncated);
    }

    [Fact]
    public async Task SearchAsync_DeletedConversation_LeavesNoHits()
    {
        var kept = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var deleted = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var keptMessage = await AppendAsync(kept.Id, "zebra kept");
        await AppendAsync(deleted.Id, "zebra gone");
        await AppendAsync(deleted.Id, "another zebra gone");

        await Store.Conversations.DeleteConversationAsync(deleted.Id);
        var results = await Store.Search.SearchAsync(new MessageSearchQuery("zebra"));

        Assert.Equal([keptMessage.Id], results.Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task SearchAsync_DeletedMessage_LeavesNoHit()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var kept = await AppendAsync(conversation.Id, "zebra kept");
        var deleted = await AppendAsync(conversation.Id, "zebra deleted");

        await Store.Conversations.DeleteMessageAsync(conversation.Id, deleted.Id);
        var results = await Store.Search.SearchAsync(new MessageSearchQuery("zebra"));

        Assert.Equal([kept.Id], results.Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task SearchAsync_AppendedAndEditedMessages_AreFoundAtOnce()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var system = await Store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("system", "be brief"));
        var question = await AppendAsync(conversation.Id, "what is a quokka");
        Assert.Single((await Store.Search.SearchAsync(new MessageSearchQuery("quokka"))).Hits);

        // An edit is a sibling of the edited message; both versions stay searchable.
        var edited = await Store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "what is a wombat", ParentId: system.Id));
        var viaSecondClient = await Store.OpenSecondClientAsync();
        await using (viaSecondClient)
        {
            var results = await viaSecondClient.Search.SearchAsync(new MessageSearchQuery("wombat"));
            Assert.Equal([edited.Id], results.Hits.Select(h => h.MessageId));
        }

        Assert.Equal([question.Id], (await Store.Search.SearchAsync(new MessageSearchQuery("quokka"))).Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task SearchAsync_ImportedMessages_FoundAfterTheIndexCatchesUp()
    {
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        var conversationId = SortableId.Create(at);
        var messageId = SortableId.Create(at.AddSeconds(1));
        var archived = new ArchivedConversation(
            new Conversation(conversationId, "Imported", null, JsonDocument.Parse("{}").RootElement, at, at, false, 1, messageId),
            [new ConversationMessage(messageId, conversationId, null, "user", "an imported okapi", null, null, null, MessageStatus.Complete, at.AddSeconds(1))]);

        await Store.Archive.ImportAsync(ToAsync([archived]));
        var before = await Store.Search.SearchAsync(new MessageSearchQuery("okapi"));
        await Store.CatchUpSearchIndexAsync();
        var after = await Store.Search.SearchAsync(new MessageSearchQuery("okapi"));

        // A backend may index imports at once; one that defers must say how many messages are behind.
        Assert.True(before.Hits.Count == 1 || before.PendingIndexMessages >= 1, "an unindexed import must be reported as pending");
        Assert.Equal([messageId], after.Hits.Select(h => h.MessageId));
        Assert.Equal(0, after.PendingIndexMessages);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"\"\"")]
    [InlineData("zebra\"")]
    [InlineData("\"zebra")]
    [InlineData("ze\"bra")]
    [InlineData("*")]
    [InlineData("**zebra**")]
    [InlineData("zebra*")]
    [InlineData("*zebra")]
    [InlineData("NEAR(zebra stripes)")]
    [InlineData("NEAR(zebra stripes, 2)")]
    [InlineData("NEAR(")]
    [InlineData("zebra AND stripes")]
    [InlineData("zebra OR")]
    [InlineData("OR")]
    [InlineData("AND")]
    [InlineData("NOT zebra")]
    [InlineData("zebra NOT")]
    [InlineData("content:zebra")]
    [InlineData("col:x")]
    [InlineData("{content}:zebra")]
    [InlineData("-content:zebra stripes")]
    [InlineData("(zebra")]
    [InlineData("zebra)")]
    [InlineData("^zebra")]
    [InlineData("zebra + stripes")]
    [InlineData("-")]
    [InlineData("--zebra")]
    [InlineData("-zebra")]
    [InlineData("- zebra")]
    [InlineData("'; DROP TABLE messages; --")]
    [InlineData("zebra'")]
    [InlineData("\\zebra\\")]
    [InlineData("zé\u0301bra 😀 日本")]
    [InlineData("\u0301\u0308")]
    [InlineData("\u200b\u200d")]
    [InlineData("zebra\u0000stripes")]
    [InlineData("_")]
    [InlineData("zebra_stripes")]
    [InlineData("ǅ Ⅻ ²")]
    public async Task SearchAsync_HostileInput_ReturnsResultsOrInvalidQuery(string text)
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        await AppendAsync(conversation.Id, "zebra stripes and content: NEAR the AND OR NOT words");

        await AssertResultsOrInvalidAsync(text);
    }

    [Fact]
    public async Task SearchAsync_LongestAndOverlongInput_ReturnsResultsOrInvalidQuery()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        await AppendAsync(conversation.Id, "zebra stripes");

        await AssertResultsOrInvalidAsync(new string('z', SearchQuerySyntax.MaxLength));
        await AssertResultsOrInvalidAsync(string.Concat(Enumerable.Repeat("\"a\" ", SearchQuerySyntax.MaxLength / 4)));
        await AssertResultsOrInvalidAsync(string.Concat(Enumerable.Repeat("NEAR(", SearchQuerySyntax.MaxLength / 5)));
        await AssertResultsOrInvalidAsync(string.Concat(Enumerable.Repeat("é", SearchQuerySyntax.MaxLength)));
        var error = await Assert.ThrowsAsync<GatewayException>(() => Store.Search.SearchAsync(new MessageSearchQuery(new string('z', SearchQuerySyntax.MaxLength + 1))));
        Assert.Equal(GatewayErrorCodes.InvalidSearchQuery, error.ErrorCode);
    }

    [Fact]
    public async Task SearchAsync_QuotesInsideTerms_AreSearchedAsWords()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        var message = await AppendAsync(conversation.Id, "she said \"hello\" to the zebra");

        var results = await Store.Search.SearchAsync(new MessageSearchQuery("said\"hello\"to"));

        Assert.Equal([message.Id], results.Hits.Select(h => h.MessageId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(StorePaging.MaxLimit + 1)]
    public async Task SearchAsync_LimitOutOfRange_IsInvalidRequest(int limit)
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => Store.Search.SearchAsync(new MessageSearchQuery("zebra", Limit: limit)));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(GatewayErrorCodes.InvalidRequest, error.ErrorCode);
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("")]
    [InlineData("czE6MTAwOjUw")]
    [InlineData("!!!!")]
    public async Task SearchAsync_MalformedCursor_IsInvalidCursor(string cursor)
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => Store.Search.SearchAsync(new MessageSearchQuery("zebra", Cursor: cursor)));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(GatewayErrorCodes.InvalidCursor, error.ErrorCode);
    }

    [Fact]
    public async Task SearchAsync_CursorOfAnotherQuery_IsInvalidCursor()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        for (var i = 0; i < 3; i++)
        {
            await AppendAsync(conversation.Id, "zebra and giraffe " + i);
        }

        var first = await Store.Search.SearchAsync(new MessageSearchQuery("zebra", Limit: 1));
        Assert.NotNull(first.NextCursor);

        var error = await Assert.ThrowsAsync<GatewayException>(() => Store.Search.SearchAsync(new MessageSearchQuery("giraffe", Limit: 1, Cursor: first.NextCursor)));
        Assert.Equal(GatewayErrorCodes.InvalidCursor, error.ErrorCode);
    }

    private async Task AssertResultsOrInvalidAsync(string text)
    {
        try
        {
            var results = await Store.Search.SearchAsync(new MessageSearchQuery(text));
            Assert.NotNull(results.Hits);
        }
        catch (GatewayException error)
        {
            Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
            Assert.Equal(GatewayErrorCodes.InvalidSearchQuery, error.ErrorCode);
        }
    }

    private Task<ConversationMessage> AppendAsync(string conversationId, string content) =>
        Store.Conversations.AppendMessageAsync(conversationId, new NewMessage("user", content));

    private static async Task<List<MessageSearchResults>> AllPagesAsync(IMessageSearch search, MessageSearchQuery query)
    {
        var pages = new List<MessageSearchResults>();
        string? cursor = null;
        do
        {
            var page = await search.SearchAsync(query with { Cursor = cursor });
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count < 100, "pagination does not end");
        }
        while (cursor is not null);

        return pages;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
