using Gateway.Core.Storage.Rag;

namespace Gateway.Core.Tests.Storage.Rag;

public sealed class FilterFieldTests
{
    [Fact]
    public void Segments_DottedPath_AreTheKeysOutermostFirst() =>
        Assert.Equal(["author", "name"], new FilterField("author.name").Segments);

    [Fact]
    public void Equals_SamePath_IsEqualWithTheSameHash()
    {
        var first = new FilterField("author.name");
        var second = new FilterField(string.Concat("author", ".name"));

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, new FilterField("author.Name"));
    }

    [Fact]
    public void With_OtherPath_SplitsTheNewPath()
    {
        var moved = new FilterField("author.name") with { Path = "editor.address.city" };

        Assert.Equal(["editor", "address", "city"], moved.Segments);
        Assert.Equal(new FilterField("editor.address.city"), moved);
    }
}
