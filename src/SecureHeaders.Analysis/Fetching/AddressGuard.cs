using System.Net;
using System.Net.Sockets;

namespace SecureHeaders.Analysis.Fetching;

/// <summary>A fetch that was refused on purpose: a redirect loop, too many redirects, a non-HTTP redirect, a private address.</summary>
public sealed class FetchRefusedException : IOException
{
    /// <summary>Creates the exception with a message that says what was refused and why.</summary>
    public FetchRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FetchRefusedException()
    {
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    public FetchRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The opt-in guard for running the scanner as a service (<see cref="FetchOptions.DenyPrivateNetworks"/>): every
/// address a host resolves to is checked when the connection is made, so a redirect, a DNS answer or a literal in
/// any notation (<c>0x7f000001</c>, <c>2130706433</c>, <c>[::ffff:127.0.0.1]</c>) cannot reach loopback, private,
/// link-local or otherwise non-public networks. The connection goes to the checked address, not to a second lookup.
/// </summary>
public static class AddressGuard
{
    /// <summary>True when the address is on the public internet (not loopback, private, link-local, CGNAT, multicast, reserved…).</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] is 0 or 10 or 127 or >= 224 // this network, private, loopback, multicast and reserved (RFC 6890)
                || (b[0] == 100 && b[1] is >= 64 and <= 127) // shared address space (RFC 6598)
                || (b[0] == 169 && b[1] == 254) // link-local
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, TEST-NET-1
                || (b[0] == 198 && b[1] is 18 or 19) // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);

        // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address: judge that one.
        if (v6[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPublic(new IPAddress(v6[12..]));
        }

        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPublic(new IPAddress(v6[12..]));
        }

        if (v6[0] == 0x20 && v6[1] == 0x02)
        {
            return IsPublic(new IPAddress(v6[2..6]));
        }

        // Documentation (2001:db8::/32) and the discard prefix (100::/64).
        return !(v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) && !(v6[0] == 0x01 && v6[1] == 0x00 && v6[2..8].IndexOfAnyExcept((byte)0) < 0);
    }

    /// <summary>Resolves the host and returns its public addresses; throws <see cref="FetchRefusedException"/> when one is not public.</summary>
    public static Task<IPAddress[]> ResolvePublicAsync(string host, CancellationToken cancellationToken) => ResolveAllowedAsync(host, IsPublic, cancellationToken);

    internal static async Task<IPAddress[]> ResolveAllowedAsync(string host, Func<IPAddress, bool> allowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var literal = host.Trim('[', ']');
        var addresses = IPAddress.TryParse(literal, out var parsed)
            ? [parsed]
            : await Dns.GetHostAddressesAsync(literal, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (!allowed(address))
            {
                throw new FetchRefusedException($"{host} resolves to {address}, which is not a public address (refused by --deny-private-networks).");
            }
        }

        if (addresses.Length == 0)
        {
            throw new FetchRefusedException($"{host} does not resolve to any address.");
        }

        return addresses;
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only to addresses the filter allows.</summary>
    internal static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(Func<IPAddress, bool> allowed) =>
        (context, cancellationToken) => ConnectAllowedAsync(context, allowed, cancellationToken);

    private static async ValueTask<Stream> ConnectAllowedAsync(SocketsHttpConnectionContext context, Func<IPAddress, bool> allowed, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = await ResolveAllowedAsync(endPoint.Host, allowed, cancellationToken).ConfigureAwait(false);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
