using Gateway.Core.Configuration;

namespace Gateway.Core.Chat.Retrieval;

/// <summary>The flat environment variables of <see cref="ChatContextOptions"/> (see <c>.env.example</c>) and the keys they stand for.</summary>
internal static class ChatContextEnvironmentVariables
{
    public const string FromSpace = "RAG_CHAT_FROM_SPACE";
    public const string DefaultK = "RAG_CHAT_K";
    public const string Template = "RAG_CHAT_TEMPLATE";
    public const string PassageTemplate = "RAG_CHAT_PASSAGE_TEMPLATE";
    public const string NothingFoundInstruction = "RAG_CHAT_NOTHING_FOUND";

    /// <summary>The variables, mapped onto <c>Gateway:ChatContext</c>.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Flag(FromSpace, Key(nameof(ChatContextOptions.FromSpace)))
        .Number(DefaultK, Key(nameof(ChatContextOptions.DefaultK)))
        .Text(Template, Key(nameof(ChatContextOptions.Template)))
        .Text(PassageTemplate, Key(nameof(ChatContextOptions.PassageTemplate)))
        .Text(NothingFoundInstruction, Key(nameof(ChatContextOptions.NothingFoundInstruction)));

    private static string Key(string property) => $"{ChatContextOptions.SectionName}:{property}";
}
