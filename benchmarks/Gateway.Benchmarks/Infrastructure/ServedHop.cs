using System.Diagnostics;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// A relay or a gateway running in a child process of its own, so that process's CPU time is that
/// hop's cost alone, free of the upstream's, the client's and their timers'.
/// </summary>
public sealed class ServedHop : IDisposable
{
    private readonly Process _process;

    private ServedHop(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts this benchmark program as <c>serve relay|gateway &lt;upstream&gt;</c> and waits for its address.</summary>
    /// <param name="kind"><c>relay</c> or <c>gateway</c>.</param>
    /// <param name="upstreamBase">The test upstream's address.</param>
    /// <param name="spinningThreadPool">
    /// <see langword="false"/> sets DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 in the child, so idle
    /// pool threads sleep at once instead of spinning for the next work item: its CPU time is then the
    /// work done, not the runtime's waiting strategy.
    /// </param>
    public static async Task<ServedHop> StartAsync(string kind, Uri upstreamBase, bool spinningThreadPool)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (!spinningThreadPool)
        {
            start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        }

        if (Path.GetFileName(Environment.ProcessPath!) is "dotnet" or "dotnet.exe")
        {
            start.ArgumentList.Add(typeof(ServedHop).Assembly.Location);
        }

        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(kind);
        start.ArgumentList.Add(upstreamBase.ToString());
        var process = Process.Start(start)!;

        // Log lines may come first; the address is the first line that is one.
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("http://", StringComparison.Ordinal))
            {
                return new ServedHop(process, new Uri(line));
            }
        }

        throw new InvalidOperationException($"The {kind} process exited before it listened.");
    }

    /// <summary>The child side: serve until standard input closes.</summary>
    public static async Task ServeAsync(string kind, Uri upstreamBase)
    {
        if (kind == "relay")
        {
            await using var relay = await PassThroughRelay.StartAsync(upstreamBase);
            await AnnounceAndWaitAsync(relay.BaseAddress);
        }
        else
        {
            await using var gateway = await Gateway.AspNetCore.Tests.Infrastructure.GatewayTestHost.StartAsync(
                new Dictionary<string, string?> { ["MODEL_ROUTE_BENCH"] = $"openai|{new Uri(upstreamBase, "v1")}|bench-model" });
            await AnnounceAndWaitAsync(gateway.BaseAddress);
        }
    }

    private static async Task AnnounceAndWaitAsync(Uri address)
    {
        Console.WriteLine(address);
        await Console.In.ReadToEndAsync();
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
