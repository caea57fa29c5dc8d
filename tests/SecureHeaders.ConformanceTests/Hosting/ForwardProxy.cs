using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SecureHeaders.ConformanceTests.Hosting;

/// <summary>
/// A minimal HTTP forward proxy on loopback that every engine is pointed at: it maps the <see cref="ConformanceHosts"/>
/// names to the suite's Kestrel ports (CONNECT → the TLS port, absolute-form plain requests → the HTTP port) and
/// refuses every other host, so no test traffic can leave the machine. Browsers keep their own view of URLs, ports
/// and origins; only name resolution is replaced.
/// </summary>
public sealed class ForwardProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _httpsPort;
    private readonly int _httpPort;
    private Task? _accepting;

    public ForwardProxy(int httpsPort, int httpPort)
    {
        _httpsPort = httpsPort;
        _httpPort = httpPort;
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_accepting is not null)
        {
            try
            {
                await _accepting.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[16 * 1024];
                var length = 0;
                int headEnd;
                while ((headEnd = IndexOfHeadEnd(buffer, length)) < 0)
                {
                    if (length == buffer.Length)
                    {
                        return;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    length += read;
                }

                var requestLine = Encoding.ASCII.GetString(buffer, 0, Array.IndexOf(buffer, (byte)'\r', 0, headEnd));
                var parts = requestLine.Split(' ');
                if (parts.Length != 3)
                {
                    return;
                }

                var connect = parts[0] == "CONNECT";
                var host = connect ? parts[1].Split(':')[0] : (Uri.TryCreate(parts[1], UriKind.Absolute, out var target) ? target.Host : string.Empty);
                if (!ConformanceHosts.IsKnown(host))
                {
                    await stream.WriteAsync("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
                    return;
                }

                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, connect ? _httpsPort : _httpPort, _stop.Token).ConfigureAwait(false);
                var upstreamStream = upstream.GetStream();
                if (connect)
                {
                    await stream.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
                    await upstreamStream.WriteAsync(buffer.AsMemory(headEnd, length - headEnd), _stop.Token).ConfigureAwait(false);
                }
                else
                {
                    // Kestrel accepts the absolute-form request target (RFC 9112 §3.2.2), so the bytes pass unchanged.
                    await upstreamStream.WriteAsync(buffer.AsMemory(0, length), _stop.Token).ConfigureAwait(false);
                }

                var up = stream.CopyToAsync(upstreamStream, _stop.Token);
                var down = upstreamStream.CopyToAsync(stream, _stop.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A browser closing a connection is normal.
            }
        }
    }

    private static int IndexOfHeadEnd(byte[] buffer, int length)
    {
        var index = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
        return index < 0 ? -1 : index + 4;
    }
}
