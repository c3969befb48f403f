using System.Diagnostics.CodeAnalysis;

namespace Gateway.Core.Models;

/// <summary>What a model can do, as far as its upstream or its configuration says.</summary>
/// <param name="Chat">It answers chat (completion) requests.</param>
/// <param name="Streaming">It streams its answers token by token.</param>
/// <param name="Tools">It can call tools (functions).</param>
/// <param name="Embeddings">It produces embeddings.</param>
/// <param name="Vision">It reads images.</param>
public sealed record ModelCapabilities(bool Chat, bool Streaming, bool Tools, bool Embeddings, bool Vision)
{
    /// <summary>The names used in configuration (<c>MODEL_CAPABILITIES_&lt;KEY&gt;=chat,streaming,tools</c>), in display order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["chat", "streaming", "tools", "embeddings", "vision"];

    /// <summary>A chat model that streams and nothing more: what a chat route can do when nothing says otherwise.</summary>
    public static ModelCapabilities ChatAndStreaming { get; } = new(Chat: true, Streaming: true, Tools: false, Embeddings: false, Vision: false);

    /// <summary>Reads capability names such as <c>chat</c>, <c>tools</c> (case-insensitive; see <see cref="Names"/>).</summary>
    /// <param name="names">The names; an empty list means the model can do none of them.</param>
    /// <param name="capabilities">The capabilities, when every name is known.</param>
    /// <param name="unknownName">The first unknown name, when there is one.</param>
    public static bool TryParse(
        IEnumerable<string> names,
        [NotNullWhen(true)] out ModelCapabilities? capabilities,
        [NotNullWhen(false)] out string? unknownName)
    {
        ArgumentNullException.ThrowIfNull(names);
        bool chat = false, streaming = false, tools = false, embeddings = false, vision = false;
        foreach (var raw in names)
        {
            switch (raw.Trim().ToLowerInvariant())
            {
                case "chat": chat = true; break;
                case "streaming": streaming = true; break;
                case "tools": tools = true; break;
                case "embeddings": embeddings = true; break;
                case "vision": vision = true; break;
                default:
                    capabilities = null;
                    unknownName = raw;
                    return false;
            }
        }

        capabilities = new ModelCapabilities(chat, streaming, tools, embeddings, vision);
        unknownName = null;
        return true;
    }
}
