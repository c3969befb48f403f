using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Gateway.Rag.Tests.Extraction;

/// <summary>PDFs for the extraction tests: written by PdfPig's builder, or by hand where it cannot write them (encryption).</summary>
internal static class TestPdfs
{
    private const double Width = 595;
    private const double Height = 842;
    private const double LineHeight = 14;

    /// <summary>A grey 2 × 2 pixel PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAADklEQVR4nGNoAAMGCAUAKg4GARWeQtcAAAAASUVORK5CYII=");

    /// <summary>One page per entry, each line of it written from the top left; an empty entry is a blank page.</summary>
    public static byte[] Pages(params string[][] pages)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(Width, Height);
            for (var i = 0; i < lines.Length; i++)
            {
                page.AddText(lines[i], 11, new PdfPoint(60, Height - 80 - (i * LineHeight)), font);
            }
        }

        return builder.Build();
    }

    /// <summary>One page of two columns of lines side by side, the left column at x = 50, the right at x = 320.</summary>
    public static byte[] TwoColumns(string[] left, string[] right)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(Width, Height);
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var y = Height - 80 - (i * LineHeight);
            if (i < left.Length)
            {
                page.AddText(left[i], 10, new PdfPoint(50, y), font);
            }

            if (i < right.Length)
            {
                page.AddText(right[i], 10, new PdfPoint(320, y), font);
            }
        }

        return builder.Build();
    }

    /// <summary>Two pages that only hold an image and a drawn frame, as a scanned document does: no text at all.</summary>
    public static byte[] ImagesOnly()
    {
        using var builder = new PdfDocumentBuilder();
        for (var i = 0; i < 2; i++)
        {
            var page = builder.AddPage(Width, Height);
            page.AddPng(Png, new PdfRectangle(50, 50, Width - 50, Height - 50));
            page.DrawRectangle(new PdfPoint(40, 40), Width - 80, Height - 80);
        }

        return builder.Build();
    }

    /// <summary>
    /// A one-page PDF whose trailer names a standard security handler (RC4, revision 2) whose password hashes
    /// match no password, so it opens with neither an empty user password nor any other.
    /// </summary>
    public static byte[] Encrypted()
    {
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        void Object(string body)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{offsets.Count} 0 obj\n{body}\nendobj\n");
        }

        Object("<< /Type /Catalog /Pages 2 0 R >>");
        Object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>");
        Object($"<< /Filter /Standard /V 1 /R 2 /O <{new string('a', 64)}> /U <{new string('b', 64)}> /P -4 >>");
        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        const string id = "<0123456789abcdef0123456789abcdef>";
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R /Encrypt 4 0 R /ID [{id} {id}] >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
