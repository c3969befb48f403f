using Gateway.Benchmarks.Pipeline;
using Gateway.Benchmarks.Storage;
using Gateway.Benchmarks.Streaming;

namespace Gateway.Benchmarks.Guard;

/// <summary>
/// The hot paths under guard, each on its benchmark class with a small setup: streaming through the
/// gateway, the chat pipeline's middleware, the route pipeline with OpenTelemetry exported, and message search on a 20,000-message corpus.
/// </summary>
internal static class GuardCases
{
    public const int StreamedChunks = 100;
    public const int PipelineChunks = 1000;
    public const int SearchCorpusMessages = 20_000;

    public static GuardCase Streaming()
    {
        var benchmark = new StreamingBurstBenchmarks { Chunks = StreamedChunks };
        benchmark.Setup();
        return new GuardCase("streaming", "chunk", StreamedChunks, benchmark.Direct, benchmark.Gateway, benchmark.Cleanup);
    }

    public static GuardCase Pipeline()
    {
        var benchmark = new ChatPipelineBenchmarks { Chunks = PipelineChunks };
        benchmark.Setup();
        return new GuardCase("chat-pipeline", "chunk", PipelineChunks, benchmark.Bare, benchmark.Measured, benchmark.Cleanup);
    }

    public static GuardCase PipelineWithOpenTelemetry()
    {
        var benchmark = new OpenTelemetryPipelineBenchmarks { Chunks = PipelineChunks };
        benchmark.Setup();
        return new GuardCase("chat-pipeline-otel", "chunk", PipelineChunks, benchmark.Plain, benchmark.Exported, benchmark.Cleanup);
    }

    public static GuardCase Search()
    {
        var benchmark = new MessageSearchBenchmarks { Query = "mid", CorpusPath = SearchCorpus.EnsureSmall(SearchCorpusMessages) };
        benchmark.Setup();
        return new GuardCase("fts-search", "query", 1, () => Task.FromResult(benchmark.PlainBm25()), benchmark.Search, benchmark.Cleanup);
    }
}
