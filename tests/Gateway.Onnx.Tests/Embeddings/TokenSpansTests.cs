using Gateway.Core.Embeddings;
using Gateway.Onnx.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Onnx.Tests.Embeddings;

/// <summary>The model's tokenizer as spans of the caller's text: the word pieces the model reads, each where it sits.</summary>
public sealed class TokenSpansTests
{
    [Theory]
    [InlineData("The committee postponed its decision on the new railway line.")]
    [InlineData("Zürich's café served crème brûlée 🍮 — naïve déjà vu!")]
    [InlineData("東京タワー is in Tokyo; 北京 is not.")]
    [InlineData("  leading and trailing whitespace\n\n\tand tabs  ")]
    [InlineData("unbelievably antidisestablishmentarianism x1234567 e-mail@example.com")]
    public void GetTokenSpans_AnyText_OneSpanPerWordPieceInOrderInsideItsWord(string text)
    {
        var spans = MiniLM.Generator.TokenSpans.GetTokenSpans(text);

        Assert.Equal(MiniLM.Generator.Tokenize(text).Length - 2, spans.Count);
        var previousEnd = 0;
        foreach (var span in spans)
        {
            var (start, length) = span.GetOffsetAndLength(text.Length);
            Assert.True(start >= previousEnd, $"span {span} starts before the previous one ended ({previousEnd})");
            Assert.True(length > 0, $"span {span} is empty");
            Assert.DoesNotContain(text.Substring(start, length), char.IsWhiteSpace);
            previousEnd = start + length;
        }
    }

    [Fact]
    public void GetTokenSpans_AsciiText_SpansAreTheWordPiecesExactly()
    {
        const string text = "Unbelievable, World! Tokenizers split words.";

        var pieces = MiniLM.Generator.TokenSpans.GetTokenSpans(text).Select(span => text[span].ToLowerInvariant());

        Assert.Equal(["unbelievable", ",", "world", "!", "token", "izer", "s", "split", "words", "."], pieces);
    }

    [Fact]
    public void GetTokenSpans_NormalisingChangesTheLength_SpansAreTracedToTheOriginalCharacters()
    {
        // BERT spaces CJK ideographs apart and strips the decomposed accent of "e\u0301": the normalised text is longer and shorter.
        const string text = "東京タワー cafe\u0301s";

        var pieces = MiniLM.Generator.TokenSpans.GetTokenSpans(text).Select(span => text[span]).ToArray();

        Assert.Equal(["東", "京", "タ", "ワ", "ー"], pieces[..5]);
        Assert.Equal("cafe\u0301s", string.Concat(pieces[5..]));
    }

    [Fact]
    public void GetTokenSpans_Empty_IsNoSpans() => Assert.Empty(MiniLM.Generator.TokenSpans.GetTokenSpans(" \n "));

    [Fact]
    public void Registry_OnnxModel_CarriesItsTokenizer()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddGateway().AddOnnxEmbeddings();
        using var provider = services.BuildServiceProvider();

        var tokenizer = provider.GetRequiredService<EmbeddingModelRegistry>().Default.Tokenizer;

        Assert.NotNull(tokenizer);
        Assert.Equal(3, tokenizer.GetTokenSpans("hello there world").Count);
    }
}
