using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gateway.Onnx;
using Gateway.Onnx.Embeddings;

namespace Gateway.Benchmarks.Onnx;

/// <summary>What the embedding benchmarks share: the bundled model, the provider from the environment, the texts.</summary>
internal static class EmbeddingBench
{
    /// <summary><c>GATEWAY_BENCH_ONNX_PROVIDER</c>=auto|cpu|cuda (default cpu); cuda needs a build with <c>-p:GatewayGpu=true</c>.</summary>
    public const string ProviderVariable = "GATEWAY_BENCH_ONNX_PROVIDER";

    /// <summary>
    /// <c>GATEWAY_BENCH_IN_PROCESS=true</c> runs the benchmarks inside this process instead of a rebuilt copy:
    /// for a machine with the published benchmarks but no .NET SDK (the GPU run in results/onnx.md).
    /// </summary>
    public const string InProcessVariable = "GATEWAY_BENCH_IN_PROCESS";

    public const string ShortQuery = "How do I reset my password?";

    private static readonly string[] Subjects = ["The committee", "Our small team", "A local farmer", "The new library", "My grandmother", "The city council", "A young engineer", "The orchestra"];
    private static readonly string[] Verbs = ["postponed", "discussed", "celebrated", "questioned", "rebuilt", "explained", "reviewed", "photographed"];
    private static readonly string[] Objects = ["the plans for the railway bridge", "an unusual report about river pollution", "the history of the old harbour", "a proposal to plant more trees", "the results of the winter survey", "a series of short films", "the budget for next year", "the rules of the chess tournament"];
    private static readonly string[] Endings = ["after a long meeting on Thursday evening.", "because several neighbours had complained.", "while the visitors waited outside in the rain.", "before the summer holidays began.", "with help from students at the university.", "although nobody expected much to change."];

    public static OnnxExecutionProvider Provider =>
        Enum.TryParse<OnnxExecutionProvider>(Environment.GetEnvironmentVariable(ProviderVariable), ignoreCase: true, out var provider)
            ? provider
            : OnnxExecutionProvider.Cpu;

    public static OnnxEmbeddingGenerator Load() =>
        BundledEmbeddingModel.Load(new OnnxEmbeddingModelOptions { ExecutionProvider = Provider });

    /// <summary>Distinct sentences of about 30 tokens each ([CLS] and [SEP] included), from a fixed seed.</summary>
    public static string[] Sentences(int count)
    {
        var random = new Random(42);
        return [.. Enumerable.Range(0, count).Select(_ =>
            $"{Pick(random, Subjects)} {Pick(random, Verbs)} {Pick(random, Objects)} {Pick(random, Endings)} It was item {random.Next(10, 99)} on the list.")];
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}

/// <summary>Few iterations (each is a whole batch of inference), P95 shown.</summary>
public sealed class EmbeddingConfig : ManualConfig
{
    public EmbeddingConfig()
    {
        var job = Job.Default.WithWarmupCount(3).WithIterationCount(15).WithLaunchCount(1);

        if (string.Equals(Environment.GetEnvironmentVariable(EmbeddingBench.InProcessVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            AddJob(job.WithToolchain(InProcessEmitToolchain.Instance));
        }
        else
        {
            // BenchmarkDotNet rebuilds the project for its runs: a CUDA run needs ONNX Runtime's CUDA build there too.
            AddJob(EmbeddingBench.Provider == OnnxExecutionProvider.Cuda ? job.WithArguments([new MsBuildArgument("/p:GatewayGpu=true")]) : job);
        }

        AddColumn(StatisticColumn.P95);
        AddColumn(new SentencesPerSecondColumn());
    }
}
