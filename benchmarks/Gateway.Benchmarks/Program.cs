using BenchmarkDotNet.Running;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Benchmarks.Streaming;

switch (args)
{
    case ["cpu", ..]:
        Console.WriteLine(await CpuPerChunk.RunAsync());
        break;
    case ["serve", var kind, var upstream]:
        await ServedHop.ServeAsync(kind, new Uri(upstream));
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(StreamingBurstBenchmarks).Assembly).Run(args);
        break;
}
