using Gateway.Core.Errors;
using Gateway.Core.Storage.Profiles;

namespace Gateway.Core.Tests.Storage.Profiles;

public sealed class ModelProfileRulesTests
{
    // Facts that loop rather than theories: xunit passes theory data through UTF-8, which turns a lone
    // surrogate into U+FFFD, a valid character.
    private static readonly string[] BadNames = ["", "   ", "tab\there", "nul\0", "lone \ud800 surrogate", "\udc00 first"];

    private static readonly string[] UnstorableText = ["a\0b", "\udc00", "high \ud83d alone"];

    [Theory]
    [InlineData("Writer", "WRITER")]
    [InlineData("Café", "CAFÉ")]
    [InlineData("Cafe\u0301", "café")]
    [InlineData("Straße", "STRASSE", false)]
    public void NameKey_CaseAndComposition_FoldToTheSameKeyOnly(string name, string other, bool same = true)
    {
        Assert.Equal(same, ModelProfileRules.NameKey(name) == ModelProfileRules.NameKey(other));
    }

    [Fact]
    public void IsValidName_BadNames_AreFalseAndValidateNamesTheField()
    {
        Assert.All(BadNames, name =>
        {
            Assert.False(ModelProfileRules.IsValidName(name));
            var error = Assert.Throws<GatewayException>(() => ModelProfileRules.ValidateName(name, "name"));
            Assert.Equal("name", error.Extensions["field"]);
        });
    }

    [Fact]
    public void Validate_SystemPromptOrStopNoStoreCanKeep_NamesTheField()
    {
        Assert.All(UnstorableText, text =>
        {
            var prompt = Assert.Throws<GatewayException>(() => ModelProfileRules.Validate(new ModelProfileDefinition("n", "m", SystemPrompt: text)));
            var stop = Assert.Throws<GatewayException>(() => ModelProfileRules.Validate(new ModelProfileDefinition("n", "m", Stop: ["ok", text])));

            Assert.Equal("systemPrompt", prompt.Extensions["field"]);
            Assert.Equal("stop[1]", stop.Extensions["field"]);
        });
    }
}
