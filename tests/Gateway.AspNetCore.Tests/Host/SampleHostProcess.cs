using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.AspNetCore.Tests.Host;

/// <summary>
/// The sample host (Gateway.Host.dll, built beside the tests) as a real process on a free loopback port,
/// started with the given environment and waited for until <c>/health</c> answers. Disposing kills it.
/// </summary>
internal sealed class SampleHostProcess : IDisposable
{
    // Settings of the machine the tests run on that would change what the host does.
    private static readonly string[] ClearedVariables =
        ["USE_REDIS", "REDIS_URL", "GATEWAY_API_KEYS", "DEFAULT_MODEL_KEY", "ALLOWED_MODELS", "RATE_LIMIT_PER_MIN", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    private readonly StringBuilder _output = new();

    private SampleHostProcess(Process process, HttpClient client)
    {
        Process = process;
        Client = client;
    }

    /// <summary>The host's process.</summary>
    public Process Process { get; }

    /// <summary>A client for the host's address.</summary>
    public HttpClient Client { get; }

    /// <summary>What the host wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host in <paramref name="workingDirectory"/> with <paramref name="environment"/> on top of the cleared machine settings.</summary>
    public static async Task<SampleHostProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Host.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var name in ClearedVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var host = new SampleHostProcess(
            Process.Start(start)!,
            new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) });
        host.Process.OutputDataReceived += (_, e) => host.Append(e.Data);
        host.Process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        host.Process.BeginOutputReadLine();
        host.Process.BeginErrorReadLine();
        await host.WaitUntilHealthyAsync();
        return host;
    }

    /// <summary>Kills the process (SIGKILL) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        Process.Kill();
        await Process.WaitForExitAsync();
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill();
            Process.WaitForExit();
        }

        Process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var health = await Client.GetAsync("health");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (Process.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The host did not become healthy (exited: {Process.HasExited}). Output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
