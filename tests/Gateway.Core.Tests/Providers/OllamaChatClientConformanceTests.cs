using System.Text.Json;
using Gateway.AI.Conformance;

namespace Gateway.Core.Tests.Providers;

/// <summary>The <c>ollama</c> provider's chat client against the test upstream's Ollama <c>/api/chat</c>.</summary>
public sealed class OllamaChatClientConformanceTests : UpstreamChatClientConformanceTests
{
    protected override string ProviderName => "ollama";

    protected override string RouteSetting => $"ollama|{Upstream.BaseAddress}|{ModelId}";

    protected override SentChatOptions ReadSentOptions(JsonElement body)
    {
        var options = body.GetProperty("options");
        return new SentChatOptions(Member(options, "num_predict")?.GetInt32(), Member(options, "temperature")?.GetSingle(), ReadStop(options));
    }
}
