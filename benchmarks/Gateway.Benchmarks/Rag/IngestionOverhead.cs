using System.Diagnostics;
using System.Globalization;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// <see cref="IngestionBenchmarks"/> as paired rounds (<c>-- ingestion-overhead sqlite|postgres ROUNDS</c>): each
/// round times the embedding alone, the ingestion and the store alone back to back, so a change of load on a
/// shared machine hits both sides of a round alike; the overhead is the median of the rounds' ratios.
/// BenchmarkDotNet runs each method's iterations together, minutes apart, which a shifting load skews by more
/// than the 10 % being measured.
/// </summary>
internal static class IngestionOverhead
{
    public static async Task RunAsync(string backend, int rounds, TextWriter log)
    {
        var bench = new IngestionBenchmarks { Backend = backend };
        bench.Setup();
        try
        {
            await bench.EmbeddingAlone();
            var ratios = new List<double>();
            var (embedTotal, ingestTotal, storeTotal) = (0d, 0d, 0d);
            await log.WriteLineAsync("| round | embedding alone | ingest end to end | store alone | ingest / embedding |");
            await log.WriteLineAsync("|---:|---:|---:|---:|---:|");
            for (var round = 1; round <= rounds; round++)
            {
                var embed = await TimeAsync(bench.EmbeddingAlone);
                var ingest = await TimeAsync(bench.IngestFiles);
                var store = await TimeAsync(bench.StoreAlone);
                ratios.Add(ingest / embed);
                (embedTotal, ingestTotal, storeTotal) = (embedTotal + embed, ingestTotal + ingest, storeTotal + store);
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| {round} | {embed:F0} ms | {ingest:F0} ms | {store:F0} ms | {ingest / embed:F3} |"));
            }

            ratios.Sort();
            var chunks = IngestionCorpus.ChunkCount;
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"// {backend}: {chunks} chunks a round; embedding {chunks * rounds / (embedTotal / 1000):F1} chunks/s, ingestion {chunks * rounds / (ingestTotal / 1000):F1} chunks/s, " +
                $"store alone {chunks * rounds / (storeTotal / 1000):F0} chunks/s; median ingest/embedding {ratios[ratios.Count / 2]:F3} (min {ratios[0]:F3}, max {ratios[^1]:F3}), sum ratio {ingestTotal / embedTotal:F3}"));
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static async Task<double> TimeAsync(Func<Task<int>> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.Elapsed.TotalMilliseconds;
    }
}
