using System.Net;
using System.Net.Sockets;

namespace SecureHeaders.Reporting.PostgreSql.Tests;

/// <summary>
/// A TCP proxy on loopback between Npgsql and the real server, so that a test can cut the database off and bring it
/// back (an outage, a failover, a restart) without touching the server other tests use.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Server)> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var (client, server) in _open)
            {
                client.Close();
                server.Close();
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_cut)
            {
                client.Close(); // the database is "down": the connection dies at once
                continue;
            }

            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            lock (_open)
            {
                _open.Add((client, server));
            }

            var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
