using System.Diagnostics;
using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureHeaders.ConformanceTests.Hosting;

/// <summary>
/// A test CA and the server certificate it signs for every <see cref="ConformanceHosts"/> name. The CA is
/// name-constrained to <c>.test</c> (RFC 5280 §4.2.1.10), so trusting it cannot vouch for any real site.
/// <c>.ci/run</c> makes one with openssl, installs it in the system store (the only store WebKitGTK reads) and
/// passes it in SECUREHEADERS_CONFORMANCE_CA_CERT/_KEY; without them the suite makes its own, which Chromium and
/// Firefox trust through their per-run NSS databases.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    private TestCertificates(X509Certificate2 authority, X509Certificate2 server, string authorityPemPath)
    {
        Authority = authority;
        Server = server;
        AuthorityPemPath = authorityPemPath;
    }

    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate, with its private key, for Kestrel.</summary>
    public X509Certificate2 Server { get; }

    public string AuthorityPemPath { get; }

    public static TestCertificates Create(string workDirectory)
    {
        // Where .ci/run keeps the CA it installed in the system store, so a later plain `dotnet test` finds it too.
        var certPath = Environment.GetEnvironmentVariable("SECUREHEADERS_CONFORMANCE_CA_CERT") ?? "/var/lib/secureheaders-conformance/ca.crt";
        var keyPath = Environment.GetEnvironmentVariable("SECUREHEADERS_CONFORMANCE_CA_KEY") ?? "/var/lib/secureheaders-conformance/ca.key";
        X509Certificate2? authority = null;
        if (!string.IsNullOrEmpty(certPath) && !string.IsNullOrEmpty(keyPath) && File.Exists(certPath) && File.Exists(keyPath))
        {
            try
            {
                authority = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                // Unreadable (e.g. not root): fall back to a CA of our own; only WebKit's HSTS check then lacks trust.
                authority = null;
            }
        }

        authority ??= CreateAuthority();
        var pemPath = Path.Combine(workDirectory, "test-ca.pem");
        File.WriteAllText(pemPath, authority.ExportCertificatePem());
        return new TestCertificates(authority, CreateServer(authority), pemPath);
    }

    /// <summary>Creates an NSS database in <paramref name="directory"/> that trusts the CA for TLS servers (needs certutil from libnss3-tools).</summary>
    public bool TryTrustInNssDatabase(string directory)
    {
        Directory.CreateDirectory(directory);
        return Run("certutil", "-N", "-d", "sql:" + directory, "--empty-password")
            && Run("certutil", "-A", "-d", "sql:" + directory, "-n", "secureheaders-conformance-ca", "-t", "C,,", "-i", AuthorityPemPath);
    }

    /// <summary>True when the system CA bundle contains this CA (what WebKitGTK's GnuTLS backend trusts).</summary>
    public bool IsTrustedBySystemStore()
    {
        if (!File.Exists(SystemBundle))
        {
            return false;
        }

        var body = Convert.ToBase64String(Authority.RawData);
        var bundle = File.ReadAllText(SystemBundle).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
        return bundle.Contains(body, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }

    private static X509Certificate2 CreateAuthority()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=SecureHeaders conformance test CA, O=SecureHeaders tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(NameConstraintsToTest());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 CreateServer(X509Certificate2 authority)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=app.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in ConformanceHosts.All)
        {
            names.AddDnsName(host);
        }

        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var notAfter = DateTimeOffset.UtcNow.AddDays(7) < authority.NotAfter ? DateTimeOffset.UtcNow.AddDays(7) : new DateTimeOffset(authority.NotAfter.ToUniversalTime()).AddMinutes(-1);
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1) > authority.NotBefore ? DateTimeOffset.UtcNow.AddDays(-1) : new DateTimeOffset(authority.NotBefore.ToUniversalTime()).AddSeconds(1);
        using var certificate = request.Create(authority, notBefore, notAfter, serial);
        using var withKey = certificate.CopyWithPrivateKey(key);

        // Kestrel needs the private key in a form it can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>nameConstraints: permitted dNSName "test" (the CA can only vouch for *.test).</summary>
    private static X509Extension NameConstraintsToTest()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, "test", new Asn1Tag(TagClass.ContextSpecific, 2));
                }
            }
        }

        return new X509Extension("2.5.29.30", writer.Encode(), critical: true);
    }

    private static bool Run(string file, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return false;
            }

            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // certutil is not installed.
        }
    }
}
