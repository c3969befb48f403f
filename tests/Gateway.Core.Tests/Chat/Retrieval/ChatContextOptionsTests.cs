using Gateway.Core.Chat.Retrieval;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Chat.Retrieval;

public sealed class ChatContextOptionsTests
{
    [Fact]
    public void Options_NothingSet_AreTheDocumentedDefaults()
    {
        using var services = GatewayServices.Build();

        var options = services.GetRequiredService<IOptions<ChatContextOptions>>().Value;

        Assert.Equal((true, 5, (double?)null), (options.FromSpace, options.DefaultK, options.MinScore));
        Assert.Equal(ChatContextOptions.DefaultTemplate, options.Template);
        Assert.Equal("[{index}] {source}\n{text}", options.PassageTemplate);
        Assert.Equal(ChatContextOptions.DefaultNothingFoundInstruction, options.NothingFoundInstruction);
    }

    [Fact]
    public void Options_BothForms_AreReadAndTheVariablesWin()
    {
        using var services = GatewayServices.Build(
            ("RAG_CHAT_FROM_SPACE", "no"),
            ("RAG_CHAT_K", "12"),
            ("Gateway:ChatContext:DefaultK", "3"),
            ("Gateway:ChatContext:MinScore", "0.4"),
            ("RAG_CHAT_TEMPLATE", "Sources: {passages}"),
            ("RAG_CHAT_PASSAGE_TEMPLATE", "{index}. {text}"),
            ("RAG_CHAT_NOTHING_FOUND", "Nothing found."));

        var options = services.GetRequiredService<IOptions<ChatContextOptions>>().Value;

        Assert.Equal((false, 12, (double?)0.4), (options.FromSpace, options.DefaultK, options.MinScore));
        Assert.Equal(("Sources: {passages}", "{index}. {text}", "Nothing found."), (options.Template, options.PassageTemplate, options.NothingFoundInstruction));
    }

    [Fact]
    public void Options_Bad_AreEachReportedNamingTheVariable()
    {
        using var services = GatewayServices.Build(
            ("RAG_CHAT_K", "0"),
            ("RAG_CHAT_TEMPLATE", "Sources: {context}"),
            ("RAG_CHAT_PASSAGE_TEMPLATE", "[{index}]"),
            ("Gateway:ChatContext:NothingFoundInstruction", " "),
            ("RAG_CHAT_FROM_SPACE", "sometimes"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ChatContextOptions>>().Value);

        Assert.Contains(error.Failures, f => f == "RAG_CHAT_K: expected a whole number from 1 to 200, got 0.");
        Assert.Contains(error.Failures, f => f.StartsWith("RAG_CHAT_TEMPLATE:", StringComparison.Ordinal) && f.Contains("{passages}"));
        Assert.Contains(error.Failures, f => f.StartsWith("RAG_CHAT_PASSAGE_TEMPLATE:", StringComparison.Ordinal) && f.Contains("{text}"));
        Assert.Contains(error.Failures, f => f.StartsWith("RAG_CHAT_NOTHING_FOUND:", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("RAG_CHAT_FROM_SPACE:", StringComparison.Ordinal));
    }
}
