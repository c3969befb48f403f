using System.Text;

namespace Gateway.Rag.Extraction.Internal;

/// <summary>
/// Writes an extracted text piece by piece, with the section each piece belongs to and the spans to keep whole.
/// Sections and pieces are separated by a blank line, so a chunk never runs two of them together.
/// </summary>
internal sealed class ExtractedTextBuilder
{
    private const string Separator = "\n\n";

    private readonly StringBuilder _text = new();
    private readonly List<ExtractedSection> _sections = [];
    private readonly List<Range> _keepWhole = [];
    private ExtractedSection? _open;

    public int Length => _text.Length;

    /// <summary>Starts a section at the next piece; the one before ends where it stopped.</summary>
    public void StartSection(string? headingPath = null, int? page = null, string? jsonPath = null)
    {
        CloseSection();
        _open = new ExtractedSection(0, 0, headingPath, page, jsonPath);
    }

    /// <summary>Appends a piece (none when empty) to the open section, after a blank line when it is not the section's first.</summary>
    public void AppendPiece(string piece, bool keepWhole = false) => Append(piece, Separator, keepWhole);

    /// <summary>Appends a line to the open section, after a line break when it is not the section's first.</summary>
    public void AppendLine(string line) => Append(line, "\n", keepWhole: false);

    public ExtractedDocument Build()
    {
        CloseSection();
        return new ExtractedDocument(_text.ToString(), _sections, _keepWhole);
    }

    private void Append(string piece, string separator, bool keepWhole)
    {
        var section = _open ?? throw new InvalidOperationException("Start a section first.");
        if (piece.Length == 0)
        {
            return;
        }

        if (section.End > section.Start)
        {
            _text.Append(separator);
        }
        else
        {
            if (_text.Length > 0)
            {
                _text.Append(Separator);
            }

            section = section with { Start = _text.Length };
        }

        var start = _text.Length;
        _text.Append(piece);
        if (keepWhole)
        {
            _keepWhole.Add(start.._text.Length);
        }

        _open = section with { End = _text.Length };
    }

    private void CloseSection()
    {
        if (_open is { } section && section.End > section.Start)
        {
            _sections.Add(section);
        }

        _open = null;
    }
}
