using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Redis.Tests.Infrastructure;

/// <summary>
/// The Redis the tests use: the one build/test.sh started (GATEWAY_TEST_REDIS_URL), or else a
/// throwaway <c>redis-server</c> started here on a free loopback port and stopped, by its PID, when
/// the tests end. Never skipped: without redis-server the tests fail and say how to get it.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process? _process;

    public RedisServer()
    {
        var shared = Environment.GetEnvironmentVariable("GATEWAY_TEST_REDIS_URL");
        if (!string.IsNullOrWhiteSpace(shared))
        {
            Address = shared;
            return;
        }

        var port = FreePort();
        _process = StartProcess(port);
        Address = $"127.0.0.1:{port}";
    }

    private RedisServer(int port)
    {
        _process = StartProcess(port);
        Address = $"127.0.0.1:{port}";
    }

    /// <summary>A redis-server of its own on <paramref name="port"/>, whatever GATEWAY_TEST_REDIS_URL says (for tests that stop and start Redis).</summary>
    public static RedisServer StartOn(int port) => new(port);

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static Process StartProcess(int port)
    {
        Process? process;
        try
        {
            process = Process.Start(new ProcessStartInfo("redis-server")
            {
                ArgumentList =
                {
                    "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
                    "--daemonize", "no", "--save", "", "--appendonly", "no", "--loglevel", "warning",
                },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run build/test.sh, which installs and starts it (or apt-get install redis-server).", ex);
        }

        if (process is null)
        {
            throw new InvalidOperationException("redis-server did not start.");
        }

        // Drained, so a chatty server can never block on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        WaitUntilListening(process, port);
        return process;
    }

    /// <summary>host:port of the server.</summary>
    public string Address { get; }

    public string Url => "redis://" + Address;

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
    }

    private static void WaitUntilListening(Process process, int port)
    {
        for (var attempt = 0; attempt < 100 && !process.HasExited; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        throw new InvalidOperationException($"redis-server did not start listening on port {port} (exit code {(process.HasExited ? process.ExitCode : -1)}).");
    }
}
