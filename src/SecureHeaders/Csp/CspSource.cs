using System.Security.Cryptography;

namespace SecureHeaders.Csp;

/// <summary>What kind of token a value inside a directive is.</summary>
public enum CspSourceKind
{
    /// <summary><c>'none'</c>: the empty source list (CSP3 §2.3.1).</summary>
    None,

    /// <summary>A quoted keyword such as <c>'self'</c> or <c>'strict-dynamic'</c> (<c>keyword-source</c>).</summary>
    Keyword,

    /// <summary><c>'nonce-…'</c> (<c>nonce-source</c>).</summary>
    Nonce,

    /// <summary><c>'sha256-…'</c>, <c>'sha384-…'</c> or <c>'sha512-…'</c> (<c>hash-source</c>).</summary>
    Hash,

    /// <summary>A scheme such as <c>https:</c> or <c>data:</c> (<c>scheme-source</c>).</summary>
    Scheme,

    /// <summary>A host, with optional scheme, port and path, including <c>*</c> (<c>host-source</c>).</summary>
    Host,

    /// <summary>
    /// SecureHeaders' placeholder <c>'nonce'</c>: replaced on every response by <c>'nonce-…'</c> with a fresh value.
    /// Only legal in configured policies, never in a header that is sent.
    /// </summary>
    NoncePlaceholder,

    /// <summary>A value of a directive that does not take sources (sandbox flags, report URIs, endpoint names…).</summary>
    Token,

    /// <summary>Something that fits no grammar the directive accepts.</summary>
    Invalid,
}

/// <summary>
/// One token of a directive value, classified by the source-expression grammar of CSP Level 3 §2.3.1.
/// Instances are immutable. Keywords, schemes and hosts compare ASCII case-insensitively, nonce and hash values
/// case-sensitively, as the matching algorithms of CSP3 §6.7 do.
/// </summary>
public sealed class CspSource : IEquatable<CspSource>
{
    /// <summary>Quoted keywords that CSP3 and its extensions define (CSP3 §2.3.1 <c>keyword-source</c>, Trusted Types, Speculation Rules, WebAssembly CSP).</summary>
    internal static readonly string[] KnownKeywords =
    [
        "'self'", "'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "'unsafe-hashes'", "'report-sample'",
        "'unsafe-allow-redirects'", "'wasm-unsafe-eval'", "'inline-speculation-rules'", "'trusted-types-eval'",
        "'report-sha256'", "'report-sha384'", "'report-sha512'",
    ];

    /// <summary>Keywords from older drafts that browsers no longer understand, with their current names.</summary>
    internal static readonly (string Old, string Current)[] RenamedKeywords =
    [
        ("'unsafe-hashed-attributes'", "'unsafe-hashes'"),
        ("'wasm-eval'", "'wasm-unsafe-eval'"),
    ];

#pragma warning disable CS1591 // The well-known sources are self-describing.
    public static readonly CspSource NoneSource = new(CspSourceKind.None, "'none'");
    public static readonly CspSource Self = Keyword("'self'");
    public static readonly CspSource UnsafeInline = Keyword("'unsafe-inline'");
    public static readonly CspSource UnsafeEval = Keyword("'unsafe-eval'");
    public static readonly CspSource StrictDynamic = Keyword("'strict-dynamic'");
    public static readonly CspSource UnsafeHashes = Keyword("'unsafe-hashes'");
    public static readonly CspSource ReportSample = Keyword("'report-sample'");
    public static readonly CspSource WasmUnsafeEval = Keyword("'wasm-unsafe-eval'");
    public static readonly CspSource InlineSpeculationRules = Keyword("'inline-speculation-rules'");
    public static readonly CspSource NoncePlaceholderSource = new(CspSourceKind.NoncePlaceholder, NoncePlaceholderText);
#pragma warning restore CS1591

    /// <summary>The text of the nonce placeholder in configured policies.</summary>
    public const string NoncePlaceholderText = "'nonce'";

    private CspSource(CspSourceKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    /// <summary>The kind of token.</summary>
    public CspSourceKind Kind { get; }

    /// <summary>The token exactly as written.</summary>
    public string Text { get; }

    /// <summary>For <see cref="CspSourceKind.Scheme"/> and scheme-qualified hosts: the lower-case scheme without <c>:</c>.</summary>
    public string? Scheme { get; private init; }

    /// <summary>For <see cref="CspSourceKind.Host"/>: the host part, e.g. <c>*.example.com</c> or <c>*</c>.</summary>
    public string? Host { get; private init; }

    /// <summary>For <see cref="CspSourceKind.Host"/>: the port part without <c>:</c> (digits or <c>*</c>), if present.</summary>
    public string? Port { get; private init; }

    /// <summary>For <see cref="CspSourceKind.Host"/>: the path part, starting with <c>/</c>, if present.</summary>
    public string? Path { get; private init; }

    /// <summary>For <see cref="CspSourceKind.Hash"/>: <c>sha256</c>, <c>sha384</c> or <c>sha512</c> (lower case).</summary>
    public string? HashAlgorithm { get; private init; }

    /// <summary>For nonces and hashes: the base64 value, case preserved.</summary>
    public string? Value { get; private init; }

    /// <summary>True for <c>*</c> and scheme-qualified wildcards such as <c>https://*</c>.</summary>
    public bool IsWildcardHost => Kind == CspSourceKind.Host && Host == "*";

    /// <summary>True for quoted keywords, <c>'none'</c>, nonces, hashes and the nonce placeholder.</summary>
    public bool IsQuoted => Text.Length > 1 && Text[0] == '\'';

    /// <summary>Creates a keyword source; the text must be one of the quoted CSP keywords.</summary>
    public static CspSource Keyword(string quotedKeyword)
    {
        ArgumentNullException.ThrowIfNull(quotedKeyword);
        var source = Parse(quotedKeyword);
        if (source.Kind != CspSourceKind.Keyword)
        {
            throw new ArgumentException($"'{quotedKeyword}' is not a CSP keyword such as 'self' (with the single quotes).", nameof(quotedKeyword));
        }

        return source;
    }

    /// <summary>Creates <c>'nonce-VALUE'</c>. The value must be base64 or base64url (CSP3 §2.3.1 <c>base64-value</c>).</summary>
    public static CspSource Nonce(string base64Value)
    {
        ArgumentNullException.ThrowIfNull(base64Value);
        if (!IsBase64Value(base64Value))
        {
            throw new ArgumentException("A nonce must be a base64 or base64url value.", nameof(base64Value));
        }

        return new(CspSourceKind.Nonce, "'nonce-" + base64Value + "'") { Value = base64Value };
    }

    /// <summary>Creates a hash source from an algorithm (<c>sha256</c>, <c>sha384</c>, <c>sha512</c>) and a base64 digest.</summary>
    public static CspSource Hash(string algorithm, string base64Digest)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(base64Digest);
        var source = Parse("'" + algorithm.ToLowerInvariant() + "-" + base64Digest + "'");
        if (source.Kind != CspSourceKind.Hash || !HasExpectedDigestLength(source))
        {
            throw new ArgumentException($"'{algorithm}-{base64Digest}' is not a valid sha256, sha384 or sha512 digest in base64.", nameof(base64Digest));
        }

        return source;
    }

    /// <summary>
    /// Hashes inline content the way browsers do for CSP (CSP3 §8.3 "Does a source list allow all inline behavior",
    /// §6.7.3.3: the digest of the UTF-8 encoding of the element's text, exactly as it appears).
    /// </summary>
    public static CspSource HashOf(string content, CspHashAlgorithm algorithm = CspHashAlgorithm.Sha256)
    {
        ArgumentNullException.ThrowIfNull(content);
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        var (name, digest) = algorithm switch
        {
            CspHashAlgorithm.Sha256 => ("sha256", SHA256.HashData(bytes)),
            CspHashAlgorithm.Sha384 => ("sha384", SHA384.HashData(bytes)),
            CspHashAlgorithm.Sha512 => ("sha512", SHA512.HashData(bytes)),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        var value = Convert.ToBase64String(digest);
        return new(CspSourceKind.Hash, "'" + name + "-" + value + "'") { HashAlgorithm = name, Value = value };
    }

    /// <summary>Creates a scheme source such as <c>https:</c> from <c>https</c> or <c>https:</c>.</summary>
    public static CspSource FromScheme(string scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        var source = Parse(scheme.EndsWith(':') ? scheme : scheme + ":");
        if (source.Kind != CspSourceKind.Scheme)
        {
            throw new ArgumentException($"'{scheme}' is not a URL scheme.", nameof(scheme));
        }

        return source;
    }

    /// <summary>Creates a host source such as <c>https://cdn.example.com</c>, <c>*.example.com</c> or <c>example.com:8443/js/</c>.</summary>
    public static CspSource FromHost(string hostSource)
    {
        ArgumentNullException.ThrowIfNull(hostSource);
        var source = Parse(hostSource);
        if (source.Kind != CspSourceKind.Host)
        {
            throw new ArgumentException($"'{hostSource}' is not a CSP host source (scheme://host:port/path).", nameof(hostSource));
        }

        return source;
    }

    /// <summary>
    /// Classifies one token by the source-expression grammar (CSP3 §2.3.1). Never throws: tokens that fit no
    /// production come back as <see cref="CspSourceKind.Invalid"/>.
    /// </summary>
    public static CspSource Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length == 0)
        {
            return new(CspSourceKind.Invalid, token);
        }

        if (token[0] == '\'')
        {
            return ParseQuoted(token);
        }

        return TryParseScheme(token) ?? TryParseHost(token) ?? new(CspSourceKind.Invalid, token);
    }

    /// <summary>Creates a token for directives whose values are not sources (sandbox flags, URIs, names).</summary>
    internal static CspSource Token(string text) => new(CspSourceKind.Token, text);

    /// <summary>True when the value matches CSP3's <c>base64-value</c>: base64 or base64url characters, then at most two <c>=</c>.</summary>
    public static bool IsBase64Value(ReadOnlySpan<char> value)
    {
        var end = value.Length;
        while (end > 0 && value[end - 1] == '=' && value.Length - end < 2)
        {
            end--;
        }

        if (end == 0)
        {
            return false;
        }

        for (var i = 0; i < end; i++)
        {
            var c = value[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when a hash source's value decodes to the digest length of its algorithm (32, 48 or 64 bytes).</summary>
    public static bool HasExpectedDigestLength(CspSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Kind != CspSourceKind.Hash || source.Value is null)
        {
            return false;
        }

        var expected = source.HashAlgorithm switch { "sha256" => 32, "sha384" => 48, "sha512" => 64, _ => -1 };
        var normalized = source.Value.Replace('-', '+').Replace('_', '/');
        if (normalized.Length % 4 != 0)
        {
            normalized = normalized.PadRight(normalized.Length + (4 - (normalized.Length % 4)), '=');
        }

        Span<byte> buffer = stackalloc byte[96];
        return Convert.TryFromBase64String(normalized, buffer, out var written) && written == expected;
    }

    private static CspSource ParseQuoted(string token)
    {
        if (token.Length < 3 || token[^1] != '\'')
        {
            return new(CspSourceKind.Invalid, token);
        }

        if (string.Equals(token, "'none'", StringComparison.OrdinalIgnoreCase))
        {
            return new(CspSourceKind.None, token);
        }

        if (string.Equals(token, NoncePlaceholderText, StringComparison.OrdinalIgnoreCase))
        {
            return new(CspSourceKind.NoncePlaceholder, token);
        }

        foreach (var keyword in KnownKeywords)
        {
            if (string.Equals(token, keyword, StringComparison.OrdinalIgnoreCase))
            {
                return new(CspSourceKind.Keyword, token);
            }
        }

        var inner = token.AsSpan(1, token.Length - 2);
        if (inner.StartsWith("nonce-", StringComparison.OrdinalIgnoreCase))
        {
            var value = inner[6..];
            return IsBase64Value(value)
                ? new(CspSourceKind.Nonce, token) { Value = value.ToString() }
                : new(CspSourceKind.Invalid, token);
        }

        var dash = inner.IndexOf('-');
        if (dash > 0)
        {
            var algorithm = inner[..dash];
            if (algorithm.Equals("sha256", StringComparison.OrdinalIgnoreCase)
                || algorithm.Equals("sha384", StringComparison.OrdinalIgnoreCase)
                || algorithm.Equals("sha512", StringComparison.OrdinalIgnoreCase))
            {
                var value = inner[(dash + 1)..];
                return IsBase64Value(value)
                    ? new(CspSourceKind.Hash, token) { HashAlgorithm = algorithm.ToString().ToLowerInvariant(), Value = value.ToString() }
                    : new(CspSourceKind.Invalid, token);
            }
        }

        return new(CspSourceKind.Invalid, token);
    }

    private static CspSource? TryParseScheme(string token)
    {
        // scheme-source = scheme-part ":" (RFC 3986 §3.1 scheme), and nothing after the colon.
        if (token[^1] != ':' || token.Length < 2 || !IsScheme(token.AsSpan(0, token.Length - 1)))
        {
            return null;
        }

        return new(CspSourceKind.Scheme, token) { Scheme = token[..^1].ToLowerInvariant() };
    }

    private static CspSource? TryParseHost(string token)
    {
        // host-source = [ scheme-part "://" ] host-part [ ":" port-part ] [ path-part ]
        var rest = token.AsSpan();
        string? scheme = null;
        var schemeEnd = rest.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            if (!IsScheme(rest[..schemeEnd]))
            {
                return null;
            }

            scheme = rest[..schemeEnd].ToString().ToLowerInvariant();
            rest = rest[(schemeEnd + 3)..];
        }

        var hostEnd = rest.IndexOfAny(':', '/');
        var host = hostEnd < 0 ? rest : rest[..hostEnd];
        if (!IsHostPart(host))
        {
            return null;
        }

        rest = hostEnd < 0 ? [] : rest[hostEnd..];
        string? port = null;
        if (!rest.IsEmpty && rest[0] == ':')
        {
            var portEnd = rest.IndexOf('/');
            var portPart = portEnd < 0 ? rest[1..] : rest[1..portEnd];
            if (!(portPart.SequenceEqual("*") || (!portPart.IsEmpty && IsAllDigits(portPart))))
            {
                return null;
            }

            port = portPart.ToString();
            rest = portEnd < 0 ? [] : rest[portEnd..];
        }

        string? path = null;
        if (!rest.IsEmpty)
        {
            if (!IsPathPart(rest))
            {
                return null;
            }

            path = rest.ToString();
        }

        return new(CspSourceKind.Host, token) { Scheme = scheme, Host = host.ToString(), Port = port, Path = path };
    }

    private static bool IsScheme(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || !char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHostPart(ReadOnlySpan<char> host)
    {
        // host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]
        if (host.SequenceEqual("*"))
        {
            return true;
        }

        if (host.StartsWith("*."))
        {
            host = host[2..];
        }

        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        if (host.IsEmpty)
        {
            return false;
        }

        var labelLength = 0;
        foreach (var c in host)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }

                labelLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                labelLength++;
            }
            else
            {
                return false;
            }
        }

        return labelLength > 0;
    }

    private static bool IsPathPart(ReadOnlySpan<char> path)
    {
        // path-part = path-absolute (RFC 3986 §3.3) without ";" and "," (CSP3 §2.3.1 excludes both).
        if (path[0] != '/' || path.StartsWith("//"))
        {
            return false;
        }

        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or '=' or ':' or '@')
            {
                continue;
            }

            if (c == '%' && i + 2 < path.Length && char.IsAsciiHexDigit(path[i + 1]) && char.IsAsciiHexDigit(path[i + 2]))
            {
                i += 2;
                continue;
            }

            return false;
        }

        return true;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(CspSource? other)
    {
        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind is CspSourceKind.Nonce or CspSourceKind.Hash or CspSourceKind.Token or CspSourceKind.Invalid
            ? CompareNonceOrHash(other)
            : string.Equals(Text, other.Text, StringComparison.OrdinalIgnoreCase);
    }

    private bool CompareNonceOrHash(CspSource other) => Kind switch
    {
        // The algorithm and the "nonce-" prefix are case-insensitive, the base64 value is not.
        CspSourceKind.Nonce => string.Equals(Value, other.Value, StringComparison.Ordinal),
        CspSourceKind.Hash => string.Equals(HashAlgorithm, other.HashAlgorithm, StringComparison.Ordinal)
            && string.Equals(Value, other.Value, StringComparison.Ordinal),
        _ => string.Equals(Text, other.Text, StringComparison.Ordinal),
    };

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CspSource);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        CspSourceKind.Nonce or CspSourceKind.Hash => HashCode.Combine(Kind, Value),
        CspSourceKind.Token or CspSourceKind.Invalid => HashCode.Combine(Kind, Text),
        _ => HashCode.Combine(Kind, StringComparer.OrdinalIgnoreCase.GetHashCode(Text)),
    };

    /// <summary>The token as written.</summary>
    public override string ToString() => Text;
}

/// <summary>The digest algorithms CSP hash sources may use (CSP3 §2.3.1 <c>hash-algorithm</c>).</summary>
public enum CspHashAlgorithm
{
    /// <summary>SHA-256.</summary>
    Sha256,

    /// <summary>SHA-384.</summary>
    Sha384,

    /// <summary>SHA-512.</summary>
    Sha512,
}
