using System.Text;

namespace Gateway.Onnx.Tests.Generation.Fixture;

/// <summary>
/// A small byte-level BPE vocabulary in the GPT-2 layout: the 256 bytes (each shown as one printable
/// character), a few English merges on top, then the special tokens of the chat formats the tests use.
/// </summary>
internal sealed class ByteLevelBpeVocabulary
{
    public const string EndOfText = "<|endoftext|>";
    public const string End = "<|end|>";
    public const string ImEnd = "<|im_end|>";

    public static readonly string[] SpecialTokens =
        [EndOfText, "<|im_start|>", ImEnd, "<|system|>", "<|user|>", "<|assistant|>", End];

    // Pairs of existing tokens, in the byte-character spelling ('Ġ' is the space byte).
    private static readonly string[] MergePairs =
    [
        "h e", "Ġ t", "Ġt he", "i n", "e r", "a n", "o n", "r e", "l l", "Ġ a", "he ll", "hell o",
        "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld", "Ġ s", "i s", "Ġ is", "e s", "a t", "Ġ o", "Ġo n",
    ];

    public ByteLevelBpeVocabulary()
    {
        ByteCharacters = BuildByteCharacters();
        var tokens = new List<string>(ByteCharacters.Select(c => c.ToString()));
        Merges = [];
        foreach (var pair in MergePairs)
        {
            var parts = pair.Split(' ');
            if (!tokens.Contains(parts[0]) || !tokens.Contains(parts[1]))
            {
                throw new InvalidOperationException($"Merge '{pair}' joins a token that is not in the vocabulary yet.");
            }

            Merges.Add(pair);
            tokens.Add(parts[0] + parts[1]);
        }

        tokens.AddRange(SpecialTokens);
        Tokens = tokens;
    }

    /// <summary>The printable character that stands for each byte value.</summary>
    public char[] ByteCharacters { get; }

    /// <summary>Every token; its index is its id.</summary>
    public List<string> Tokens { get; }

    public List<string> Merges { get; }

    public int Count => Tokens.Count;

    public int IdOf(string token) => Tokens.IndexOf(token) is var id and >= 0 ? id : throw new KeyNotFoundException(token);

    /// <summary>Whether a token decodes to lower-case letters and spaces only (the text the fixture model favours).</summary>
    public bool IsPlainText(int id)
    {
        if (id >= Count - SpecialTokens.Length)
        {
            return false;
        }

        var bytes = Tokens[id].Select(c => (byte)Array.IndexOf(ByteCharacters, c)).ToArray();
        return Encoding.ASCII.GetString(bytes).All(c => c is ' ' or (>= 'a' and <= 'z'));
    }

    // GPT-2's byte-to-character table: printable Latin-1 bytes stand for themselves, the rest are
    // shifted to U+0100 and up, so every byte has a visible, whitespace-free character.
    private static char[] BuildByteCharacters()
    {
        var map = new char[256];
        var shifted = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)(256 + shifted++);
        }

        return map;
    }
}
