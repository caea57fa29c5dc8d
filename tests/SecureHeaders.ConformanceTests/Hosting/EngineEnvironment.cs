using System.Net;
using System.Net.Sockets;

namespace SecureHeaders.ConformanceTests.Hosting;

/// <summary>What every engine is launched with: the proxy that resolves the test hosts, the test CA, and a scratch directory.</summary>
public sealed class EngineEnvironment(string proxyUrl, TestCertificates certificates, string workDirectory)
{
    public string ProxyUrl { get; } = proxyUrl;

    public TestCertificates Certificates { get; } = certificates;

    public string CreateTempDirectory(string name) => Directory.CreateDirectory(Path.Combine(workDirectory, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
