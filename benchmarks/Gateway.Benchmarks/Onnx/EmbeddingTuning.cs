using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gateway.Onnx.Embeddings;

namespace Gateway.Benchmarks.Onnx;

/// <summary>
/// <c>-- onnx-tune</c>: the knobs of the embedding path side by side, in one process, with a stopwatch
/// (BenchmarkDotNet would take minutes per variant): sentences/s for 32 ~30-token sentences in one call,
/// and the median time of one short query, per variant. Each variant is loaded, warmed up, then timed
/// over several rounds; the best round counts, which is the least disturbed by other work on the machine.
/// </summary>
internal static class EmbeddingTuning
{
    public static string Run()
    {
        var sentences = EmbeddingBench.Sentences(32);
        var report = new StringBuilder("| Variant | Runs on | Batch 32: sentences/s (best of 5) | Short query: median ms (of 40) |\n|---|---|---:|---:|\n");
        foreach (var (name, options) in Variants())
        {
            options.ExecutionProvider = EmbeddingBench.Provider;
            using var generator = BundledEmbeddingModel.Load(options);
            for (var i = 0; i < 3; i++)
            {
                generator.GenerateAsync(sentences).GetAwaiter().GetResult();
            }

            var best = double.MaxValue;
            for (var round = 0; round < 5; round++)
            {
                var started = Stopwatch.GetTimestamp();
                generator.GenerateAsync(sentences).GetAwaiter().GetResult();
                best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }

            var latencies = new List<double>();
            for (var i = 0; i < 40; i++)
            {
                var started = Stopwatch.GetTimestamp();
                generator.GenerateAsync([EmbeddingBench.ShortQuery]).GetAwaiter().GetResult();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            latencies.Sort();
            report.Append(CultureInfo.InvariantCulture, $"| {name} | {generator.ExecutionProvider} | {sentences.Length / best:F0} | {latencies[latencies.Count / 2]:F2} |\n");
            Console.Error.Write(report.ToString().Split('\n')[^2] + "\n");
        }

        return report.ToString();
    }

    private static IEnumerable<(string Name, OnnxEmbeddingModelOptions Options)> Variants()
    {
        yield return ("shipped (ORT_ENABLE_ALL, sequential, one intra-op thread per core, batch 32)", new OnnxEmbeddingModelOptions());
        yield return ("1 intra-op thread", new OnnxEmbeddingModelOptions { IntraOpThreads = 1 });
        yield return ("no spinning (session.intra_op.allow_spinning=0)", new OnnxEmbeddingModelOptions
        {
            ConfigureSession = session => session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"),
        });
        yield return ("graph optimisation ORT_ENABLE_BASIC", new OnnxEmbeddingModelOptions
        {
            ConfigureSession = session => session.GraphOptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        });
        yield return ("batches of 8", new OnnxEmbeddingModelOptions { BatchSize = 8 });
        yield return ("batches of 16", new OnnxEmbeddingModelOptions { BatchSize = 16 });
    }
}
