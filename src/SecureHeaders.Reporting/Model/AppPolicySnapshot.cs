namespace SecureHeaders.Reporting;

/// <summary>
/// One content security policy the application sends, as it compiled it: the base of every suggestion for that
/// policy (report content is evidence, never configuration).
/// </summary>
/// <param name="Name">The SecureHeaders policy name (<c>default</c>, a named policy, or an endpoint policy).</param>
/// <param name="Disposition"><c>enforce</c> for <c>Content-Security-Policy</c>, <c>report</c> for <c>Content-Security-Policy-Report-Only</c>.</param>
/// <param name="Csp">The serialized policy with the <c>'nonce'</c> placeholder where the per-response nonce goes.</param>
public sealed record AppPolicy(string Name, string Disposition, string Csp);

/// <summary>A hash of inline code the application knows about (from its hash manifest).</summary>
/// <param name="Hash">The hash source, e.g. <c>'sha256-…'</c>.</param>
/// <param name="Kind"><see cref="Script"/>, <see cref="Style"/>, <see cref="ScriptAttribute"/> or <see cref="StyleAttribute"/>.</param>
public sealed record AppInlineHash(string Hash, string Kind)
{
    /// <summary>An inline <c>&lt;script&gt;</c> block.</summary>
    public const string Script = "script";

    /// <summary>An inline <c>&lt;style&gt;</c> block.</summary>
    public const string Style = "style";

    /// <summary>An event-handler attribute (<c>onclick</c>…).</summary>
    public const string ScriptAttribute = "script-attribute";

    /// <summary>A <c>style</c> attribute.</summary>
    public const string StyleAttribute = "style-attribute";

    /// <summary>Every hash of a CSP hash manifest (<c>secureheaders csp hash --manifest</c>), with its kind.</summary>
    /// <param name="manifest">The manifest.</param>
    public static IReadOnlyList<AppInlineHash> FromManifest(Csp.CspHashManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var hashes = new List<AppInlineHash>();
        Add(hashes, manifest.ScriptHashes, Script);
        Add(hashes, manifest.StyleHashes, Style);
        Add(hashes, manifest.ScriptAttributeHashes, ScriptAttribute);
        Add(hashes, manifest.StyleAttributeHashes, StyleAttribute);
        return hashes;
    }

    private static void Add(List<AppInlineHash> list, IReadOnlyList<Csp.CspSource> sources, string kind)
    {
        foreach (var source in sources)
        {
            list.Add(new AppInlineHash(source.Text, kind));
        }
    }
}

/// <summary>
/// What the application recorded about itself at startup: its compiled policies and the hashes of its own inline
/// code. The CLI reads it from the store, so that <c>reports suggest --db</c> starts from the app's own policy.
/// </summary>
/// <param name="Policies">Every CSP the app sends, per policy name and disposition.</param>
/// <param name="InlineHashes">Hashes from the app's CSP hash manifest.</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record AppPolicySnapshot(IReadOnlyList<AppPolicy> Policies, IReadOnlyList<AppInlineHash> InlineHashes, DateTimeOffset RecordedAt)
{
    /// <summary>An app that recorded nothing.</summary>
    public static AppPolicySnapshot Empty { get; } = new([], [], DateTimeOffset.MinValue);

    /// <summary>The policy of that name and disposition, or <see langword="null"/>.</summary>
    /// <param name="name">Policy name.</param>
    /// <param name="disposition"><c>enforce</c> or <c>report</c>.</param>
    public AppPolicy? Find(string name, string disposition)
    {
        foreach (var p in Policies)
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal) && string.Equals(p.Disposition, disposition, StringComparison.Ordinal))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>True when the app has a policy of that name.</summary>
    /// <param name="name">Policy name.</param>
    public bool Knows(string name)
    {
        foreach (var p in Policies)
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
