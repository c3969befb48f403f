using System.Net;
using System.Net.Sockets;

namespace Gateway.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A loopback TCP endpoint that misbehaves on purpose. <see cref="StartAccepting"/> accepts
/// connections and never reads or answers (a hung upstream); <see cref="StartUnresponsiveAsync"/> never
/// accepts and fills its backlog first, so a new connection attempt hangs in the handshake.
/// </summary>
public sealed class SilentTcpServer : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    private SilentTcpServer(int backlog)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(backlog);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public static SilentTcpServer StartAccepting()
    {
        var server = new SilentTcpServer(backlog: 16);
        _ = server.AcceptForeverAsync();
        return server;
    }

    public static async Task<SilentTcpServer> StartUnresponsiveAsync()
    {
        var server = new SilentTcpServer(backlog: 1);
        for (var i = 0; i < 8; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try
            {
                filler.Connect(IPAddress.Loopback, server.Port);
            }
            catch (SocketException)
            {
                // In progress or refused: either way it occupies the queue.
            }

            server._held.Add(filler);
        }

        await Task.Delay(200);
        return server;
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var connection = await _listener.AcceptAsync(_stop.Token);
                connection.ReceiveBufferSize = 4096;
                lock (_held)
                {
                    _held.Add(connection);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        lock (_held)
        {
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }

        _listener.Dispose();
        _stop.Dispose();
    }
}
