using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Providers.OpenAI;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Gateway.Benchmarks.Providers;

/// <summary>
/// The decision of ADR 0002, measured: reading the same OpenAI chat-completion SSE stream (1,000
/// deltas plus finish and usage chunks, served from memory) with the official OpenAI SDK behind
/// Microsoft.Extensions.AI (the baseline) and with the gateway's own lean client.
/// </summary>
[MemoryDiagnoser]
public class OpenAIClientBenchmarks
{
    private const int Chunks = 1000;
    private static readonly ChatMessage[] Messages = [new(ChatRole.User, "Hi")];

    private IChatClient _sdk = null!;
    private IChatClient _lean = null!;

    [GlobalSetup]
    public void Setup()
    {
        var body = Encoding.UTF8.GetBytes(CannedStream());
        var sdkHttp = new HttpClient(new CannedResponseHandler(body, "text/event-stream"));
        _sdk = new OpenAIClient(
                new ApiKeyCredential("sk-bench"),
                new OpenAIClientOptions { Endpoint = new Uri("http://127.0.0.1/v1"), Transport = new HttpClientPipelineTransport(sdkHttp) })
            .GetChatClient("bench-model")
            .AsIChatClient();

        RouteKey.TryParse("bench", out var key);
        var leanHttp = new HttpClient(new CannedResponseHandler(body, "text/event-stream"));
        _lean = new OpenAICompatibleChatClient(leanHttp, new ModelRoute(key, "openai", "http://127.0.0.1/v1", "bench-model", "sk-bench"));
    }

    [Benchmark(Baseline = true, Description = "OpenAI SDK + M.E.AI.OpenAI")]
    public Task<int> Sdk() => CountAsync(_sdk);

    [Benchmark(Description = "Gateway lean client")]
    public Task<int> Lean() => CountAsync(_lean);

    private static async Task<int> CountAsync(IChatClient client)
    {
        var updates = 0;
        await foreach (var _ in client.GetStreamingResponseAsync(Messages))
        {
            updates++;
        }

        return updates;
    }

    private static string CannedStream()
    {
        const string Prefix = """data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","choices":[{"index":0,"delta":{""";
        var text = new StringBuilder();
        text.Append(Prefix).Append("\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (var i = 0; i < Chunks; i++)
        {
            text.Append(Prefix).Append("\"content\":\"token \"},\"finish_reason\":null}]}\n\n");
        }

        text.Append(Prefix).Append("},\"finish_reason\":\"stop\"}]}\n\n");
        text.Append("""data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1000,"total_tokens":1005}}""").Append("\n\n");
        text.Append("data: [DONE]\n\n");
        return text.ToString();
    }
}
