using System.Text;
using Gateway.Rag.Extraction.Internal;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Gateway.Rag.Extraction;

/// <summary>
/// Markdown, parsed by Markdig (CommonMark and pipe tables): the text is the file's own, each heading (ATX or
/// setext, outside code and quotes) starts a section whose heading path is the titles above it joined with
/// <c> &gt; </c>, except that a heading with no text before the next one opens that next section (its path the
/// inner heading's), and code blocks and tables are kept whole.
/// </summary>
internal sealed class MarkdownExtractor : IDocumentExtractor
{
    private const string Separator = " > ";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public IReadOnlyList<string> Extensions { get; } = [".md", ".markdown"];

    public ExtractedDocument Extract(ReadOnlyMemory<byte> content, string fileName, CancellationToken cancellationToken) =>
        Read(Utf8Text.Decode(content, fileName));

    /// <summary>The structure of a Markdown (or plain) text; a text without headings is one section.</summary>
    public static ExtractedDocument Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var document = Markdown.Parse(text, Pipeline);
        var sections = new List<ExtractedSection>();
        var open = new List<(int Level, string Title)>();
        var sectionStart = 0;
        var bodyStart = 0;
        string? path = null;
        foreach (var heading in document.OfType<HeadingBlock>())
        {
            var title = Title(heading);
            if (title.Length == 0)
            {
                continue;
            }

            // A section with no text of its own below its heading (`# Guide` right before `## Install`) is not a chunk
            // of only a title: the next section starts at its heading instead, under the inner heading's path.
            if (!text.AsSpan(bodyStart, heading.Span.Start - bodyStart).IsWhiteSpace())
            {
                sections.Add(new ExtractedSection(sectionStart, heading.Span.Start, path));
                sectionStart = heading.Span.Start;
            }

            open.RemoveAll(h => h.Level >= heading.Level);
            open.Add((heading.Level, title));
            (bodyStart, path) = (Math.Min(heading.Span.End + 1, text.Length), string.Join(Separator, open.Select(h => h.Title)));
        }

        sections.Add(new ExtractedSection(sectionStart, text.Length, path));
        sections.RemoveAll(section => section.End <= section.Start);
        return new ExtractedDocument(text, sections, KeepWhole(document));
    }

    /// <summary>The outermost code blocks and tables, in order.</summary>
    private static List<Range> KeepWhole(MarkdownDocument document)
    {
        var spans = new List<Range>();
        var coveredTo = 0;
        foreach (var block in document.Descendants<Block>().Where(block => block is CodeBlock or Table).OrderBy(block => block.Span.Start))
        {
            if (block.Span.Start >= coveredTo && block.Span.Length > 0)
            {
                spans.Add(block.Span.Start..(block.Span.End + 1));
                coveredTo = block.Span.End + 1;
            }
        }

        return spans;
    }

    /// <summary>A heading's words, without its markers and inline markup.</summary>
    private static string Title(HeadingBlock heading)
    {
        var title = new StringBuilder();
        foreach (var inline in heading.Inline?.Descendants<Inline>() ?? [])
        {
            _ = inline switch
            {
                LiteralInline literal => title.Append(literal.Content.AsSpan()),
                CodeInline code => title.Append(code.Content),
                LineBreakInline => title.Append(' '),
                _ => title,
            };
        }

        return title.ToString().Trim();
    }
}
