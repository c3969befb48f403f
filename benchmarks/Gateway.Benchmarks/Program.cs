using BenchmarkDotNet.Running;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Benchmarks.Storage;
using Gateway.Benchmarks.Streaming;

switch (args)
{
    case ["guard", var thresholds]:
        return await Gateway.Benchmarks.Guard.HotPathGuard.RunAsync(thresholds, Console.Out);
    case ["cpu", ..]:
        Console.WriteLine(await CpuPerChunk.RunAsync());
        break;
    case ["concurrency", .. var rest]:
        Console.WriteLine(await ConcurrentStreams.RunAsync(rest is [var max] ? int.Parse(max, System.Globalization.CultureInfo.InvariantCulture) : 2000, Console.Error));
        break;
    case ["onnx-tune", ..]:
        Console.WriteLine(Gateway.Benchmarks.Onnx.EmbeddingTuning.Run());
        break;
    case ["corpus", ..]:
        Console.WriteLine(SearchCorpus.Ensure(Console.Out));
        break;
    case ["pg-corpus", ..]:
        Console.WriteLine(Gateway.Benchmarks.Storage.Postgres.PostgresSearchCorpus.Ensure(Console.Out));
        break;
    case ["pg-rag-corpus", ..]:
        await Gateway.Benchmarks.Rag.PostgresRagSearchBenchmarks.EnsureCorpusAsync(Console.Out);
        break;
    case ["ingestion-overhead", var backend, var rounds]:
        await Gateway.Benchmarks.Rag.IngestionOverhead.RunAsync(backend, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture), Console.Out);
        break;
    case ["serve", var kind, var upstream]:
        await ServedHop.ServeAsync(kind, new Uri(upstream));
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(StreamingBurstBenchmarks).Assembly).Run(args);
        break;
}

return 0;
