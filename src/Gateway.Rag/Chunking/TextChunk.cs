using Gateway.Core.Storage.Rag;

namespace Gateway.Rag.Chunking;

/// <summary>One piece of a document's text, ready to embed.</summary>
/// <param name="Text">The piece: exactly <c>text[Citation.Start..Citation.End]</c> of the document.</param>
/// <param name="Citation">Where it sits, with the Markdown headings above it.</param>
/// <param name="TokenCount">How many of the tokenizer's tokens it holds.</param>
internal sealed record TextChunk(string Text, ChunkCitation Citation, int TokenCount);
