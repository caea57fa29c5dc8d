using SecureHeaders.Csp;

namespace SecureHeaders.Policies;

/// <summary>
/// A serialized policy precompiled around its nonce slots, so that a response's header is built with one string
/// allocation: the constant parts are copied and the nonce is base64-encoded straight into the result.
/// </summary>
internal sealed class CspTemplate
{
    /// <summary>
    /// Random bytes per nonce: 144 bits, above the 128 that CSP3 §7.1 asks for, and a multiple of three so that the
    /// base64 form has no padding.
    /// </summary>
    public const int NonceBytes = 18;

    /// <summary>Length of the base64 form of a nonce.</summary>
    public const int NonceChars = 24;

    private const string NoncePrefix = "'nonce-";
    private readonly string[] _parts;

    private CspTemplate(CspPolicy policy, string[] parts)
    {
        Policy = policy;
        _parts = parts;
        StaticValue = parts.Length == 1 ? parts[0] : null;
        var length = 0;
        foreach (var part in parts)
        {
            length += part.Length;
        }

        Length = length + ((parts.Length - 1) * (NoncePrefix.Length + NonceChars + 1));
    }

    /// <summary>The policy, with the placeholder where nonces go.</summary>
    public CspPolicy Policy { get; }

    /// <summary>The header value when the policy has no nonce; <see langword="null"/> otherwise.</summary>
    public string? StaticValue { get; }

    /// <summary>True when the policy carries a per-response nonce.</summary>
    public bool UsesNonce => StaticValue is null;

    /// <summary>The length of every rendered value.</summary>
    public int Length { get; }

    /// <summary>Compiles a policy whose nonce slots are <see cref="CspSource.NoncePlaceholderSource"/>.</summary>
    public static CspTemplate Create(CspPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);

        // Serialize as CspPolicy.ToString does, cutting the text wherever a nonce goes.
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var directive in policy.Directives)
        {
            if (current.Length > 0 || parts.Count > 0)
            {
                current.Append("; ");
            }

            current.Append(directive.Name);
            foreach (var value in directive.Values)
            {
                current.Append(' ');
                if (value.Kind == CspSourceKind.NoncePlaceholder)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    current.Append(value.Text);
                }
            }
        }

        parts.Add(current.ToString());
        return new CspTemplate(policy, [.. parts]);
    }

    /// <summary>Renders the header value for a nonce already in base64 (exactly <see cref="NonceChars"/> characters).</summary>
    public string Render(ReadOnlySpan<char> base64Nonce)
    {
        if (StaticValue is not null)
        {
            return StaticValue;
        }

        if (base64Nonce.Length != NonceChars)
        {
            throw new ArgumentException($"A nonce has {NonceChars} base64 characters.", nameof(base64Nonce));
        }

        return string.Create(Length, new RenderState(_parts, base64Nonce), static (span, state) =>
        {
            var parts = state.Parts;
            var nonce = state.Nonce;
            var position = 0;
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    NoncePrefix.AsSpan().CopyTo(span[position..]);
                    position += NoncePrefix.Length;
                    nonce.CopyTo(span[position..]);
                    position += nonce.Length;
                    span[position++] = '\'';
                }

                parts[i].AsSpan().CopyTo(span[position..]);
                position += parts[i].Length;
            }
        });
    }

    private readonly ref struct RenderState(string[] parts, ReadOnlySpan<char> nonce)
    {
        public string[] Parts { get; } = parts;

        public ReadOnlySpan<char> Nonce { get; } = nonce;
    }
}
