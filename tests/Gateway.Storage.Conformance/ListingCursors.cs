using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;

namespace Gateway.Storage.Conformance;

/// <summary>
/// Real <c>nextCursor</c> values of each listing, made the way a client gets them (two items, a page of
/// one), for the tests that hand one listing's cursor to another.
/// </summary>
internal static class ListingCursors
{
    public static async Task<string> OfConversationsAsync(StoreUnderTest store)
    {
        await store.Conversations.CreateConversationAsync(new NewConversation());
        await store.Conversations.CreateConversationAsync(new NewConversation());
        return NextCursor(await store.Conversations.ListConversationsAsync(new ConversationQuery(1)));
    }

    public static async Task<string> OfMessagesAsync(StoreUnderTest store)
    {
        var conversation = await store.Conversations.CreateConversationAsync(new NewConversation());
        var first = await store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "one"));
        await store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "two", first.Id));
        return NextCursor(await store.Conversations.ListMessagesAsync(conversation.Id, new MessageQuery(1)));
    }

    public static async Task<string> OfProfilesAsync(StoreUnderTest store)
    {
        await store.Profiles.CreateProfileAsync(new ModelProfileDefinition("cursor-a", "local"));
        await store.Profiles.CreateProfileAsync(new ModelProfileDefinition("cursor-b", "local"));
        return NextCursor(await store.Profiles.ListProfilesAsync(new ProfileQuery(1)));
    }

    public static async Task<string> OfSpacesAsync(StoreUnderTest store)
    {
        await store.Spaces.CreateSpaceAsync(new SpaceDefinition("cursor-a"));
        await store.Spaces.CreateSpaceAsync(new SpaceDefinition("cursor-b"));
        return NextCursor(await store.Spaces.ListSpacesAsync(new SpaceQuery(1)));
    }

    private static string NextCursor<T>(Page<T> page) =>
        page.NextCursor ?? throw new InvalidOperationException("A page of one out of two items has a next cursor.");
}
