using BenchmarkDotNet.Running;
using Gateway.Benchmarks.Streaming;

if (args is ["cpu", ..])
{
    Console.WriteLine(await CpuPerChunk.RunAsync());
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(StreamingBurstBenchmarks).Assembly).Run(args);
