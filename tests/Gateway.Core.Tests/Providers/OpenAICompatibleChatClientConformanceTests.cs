using System.Text.Json;
using Gateway.AI.Conformance;

namespace Gateway.Core.Tests.Providers;

/// <summary>The <c>openai</c> provider's chat client against the test upstream's OpenAI chat completions API.</summary>
public sealed class OpenAICompatibleChatClientConformanceTests : UpstreamChatClientConformanceTests
{
    protected override string ProviderName => "openai";

    protected override string RouteSetting => $"openai|{Upstream.OpenAIBaseAddress}|{ModelId}";

    protected override SentChatOptions ReadSentOptions(JsonElement body) => new(
        Member(body, "max_tokens")?.GetInt32(),
        Member(body, "temperature")?.GetSingle(),
        ReadStop(body));
}
