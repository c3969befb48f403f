using Gateway.Core.Errors;
using Gateway.Core.Storage.Spaces;

namespace Gateway.Core.Tests.Storage.Spaces;

public sealed class SpaceRulesTests
{
    [Theory]
    [InlineData(SpaceDeletion.RefuseIfConversations, 0)]
    [InlineData(SpaceDeletion.DeleteConversations, 3)]
    [InlineData(SpaceDeletion.DetachConversations, 3)]
    public void CheckDeletion_NothingToRefuse_Passes(SpaceDeletion deletion, long count) =>
        SpaceRules.CheckDeletion("space", deletion, count);

    [Fact]
    public void CheckDeletion_RefuseWithConversations_IsSpaceNotEmptyWithTheCount()
    {
        var error = Assert.Throws<GatewayException>(() => SpaceRules.CheckDeletion("space", SpaceDeletion.RefuseIfConversations, 2));

        Assert.Equal(GatewayErrorCodes.SpaceNotEmpty, error.ErrorCode);
        Assert.Equal(2, error.Extensions["conversationCount"]);
    }

    [Fact]
    public void CheckDeletion_UndefinedMode_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SpaceRules.CheckDeletion("space", (SpaceDeletion)42, 0));
}
