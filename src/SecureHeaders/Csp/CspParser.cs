using System.Collections.Immutable;

namespace SecureHeaders.Csp;

/// <summary>Where a serialized policy comes from, which decides a few rules.</summary>
public enum CspParseMode
{
    /// <summary>A header received from a server: the nonce placeholder is just an unknown keyword.</summary>
    Header,

    /// <summary>A policy written in configuration or code: the <c>'nonce'</c> placeholder is allowed.</summary>
    Configuration,
}

/// <summary>The result of parsing one serialized policy: the policy browsers would enforce, and what is wrong with the text.</summary>
/// <param name="Policy">The policy, following the parsing algorithm of CSP3 §2.2.1.</param>
/// <param name="Diagnostics">Every problem found, in the order of the text.</param>
public sealed record CspParseResult(CspPolicy Policy, ImmutableArray<CspDiagnostic> Diagnostics)
{
    /// <summary>True when at least one diagnostic is an <see cref="CspDiagnosticSeverity.Error"/>.</summary>
    public bool HasErrors => Diagnostics.Any(static d => d.Severity == CspDiagnosticSeverity.Error);
}

/// <summary>The result of parsing a whole <c>Content-Security-Policy</c> header value, which may hold several policies.</summary>
/// <param name="Policies">The non-empty policies, in order (CSP3 §2.2.2).</param>
/// <param name="Diagnostics">Every problem found in any of them.</param>
public sealed record CspHeaderParseResult(ImmutableArray<CspPolicy> Policies, ImmutableArray<CspDiagnostic> Diagnostics);

/// <summary>
/// One directive of a serialized policy exactly as written, before the parsing rules apply (lower-casing the name,
/// keeping the first of a repeated directive, skipping a directive that is not ASCII).
/// </summary>
/// <param name="Text">The directive token: the text between two semicolons, ASCII whitespace trimmed; never empty.</param>
/// <param name="Name">The first word of <paramref name="Text"/>, as written (not lower-cased).</param>
/// <param name="Values">The other words of <paramref name="Text"/>, split on ASCII whitespace, as written.</param>
public sealed record CspDirectiveToken(string Text, string Name, ImmutableArray<string> Values)
{
    /// <summary>True when the token is ASCII only; browsers skip a directive that is not (CSP3 §2.2.1).</summary>
    public bool IsAscii => System.Text.Ascii.IsValid(Text);
}

/// <summary>
/// Parses serialized content security policies as browsers do (CSP Level 3 §2.2.1 "Parse a serialized CSP") and
/// reports, without ever throwing, everything that makes the text differ from what its author meant.
/// </summary>
public static class CspParser
{
    private static readonly string[] s_unquotedKeywordNames =
    [
        "self", "none", "unsafe-inline", "unsafe-eval", "strict-dynamic", "unsafe-hashes", "report-sample",
        "wasm-unsafe-eval", "inline-speculation-rules", "unsafe-allow-redirects", "trusted-types-eval",
    ];

    private static readonly string[] s_sandboxFlags =
    [
        "allow-downloads", "allow-forms", "allow-modals", "allow-orientation-lock", "allow-pointer-lock",
        "allow-popups", "allow-popups-to-escape-sandbox", "allow-presentation", "allow-same-origin", "allow-scripts",
        "allow-storage-access-by-user-activation", "allow-top-navigation", "allow-top-navigation-by-user-activation",
        "allow-top-navigation-to-custom-protocols",
    ];

    /// <summary>Directives in which script and style keywords, nonces and hashes mean something.</summary>
    private static readonly string[] s_inlineCapable =
    [
        CspDirectives.DefaultSrc, CspDirectives.ScriptSrc, CspDirectives.ScriptSrcElem, CspDirectives.ScriptSrcAttr,
        CspDirectives.StyleSrc, CspDirectives.StyleSrcElem, CspDirectives.StyleSrcAttr,
    ];

    /// <summary>Directives in which script-only keywords (<c>'strict-dynamic'</c>, <c>'wasm-unsafe-eval'</c>…) mean something.</summary>
    private static readonly string[] s_scriptCapable =
    [
        CspDirectives.DefaultSrc, CspDirectives.ScriptSrc, CspDirectives.ScriptSrcElem, CspDirectives.ScriptSrcAttr,
    ];

    /// <summary>
    /// Splits one serialized policy (no commas expected) into its directives as written: split on <c>;</c>, trim
    /// ASCII whitespace, drop empty tokens, then split each on ASCII whitespace (CSP3 §2.2.1). Every directive comes
    /// back in order, repeated and non-ASCII ones included. <see cref="Parse"/> reads these tokens; tools that must
    /// see what browsers ignore (such as graders that read policies their own way) can start from them too.
    /// </summary>
    public static ImmutableArray<CspDirectiveToken> Tokenize(string serialized)
    {
        ArgumentNullException.ThrowIfNull(serialized);
        var tokens = ImmutableArray.CreateBuilder<CspDirectiveToken>();
        foreach (var rawToken in serialized.Split(';'))
        {
            var token = rawToken.Trim(AsciiWhitespace);
            if (token.Length == 0)
            {
                continue;
            }

            var words = token.Split(AsciiWhitespace, StringSplitOptions.RemoveEmptyEntries);
            tokens.Add(new(token, words[0], [.. words.AsSpan(1)]));
        }

        return tokens.ToImmutable();
    }

    /// <summary>Parses one serialized policy (no commas expected).</summary>
    public static CspParseResult Parse(string serialized, CspParseMode mode = CspParseMode.Header)
    {
        ArgumentNullException.ThrowIfNull(serialized);
        var diagnostics = ImmutableArray.CreateBuilder<CspDiagnostic>();
        var policy = ParseCore(serialized, mode, diagnostics);
        return new(policy, diagnostics.ToImmutable());
    }

    /// <summary>
    /// Parses a header value: splits it on commas into policies (CSP3 §2.2.2 "parse a response's Content Security
    /// Policies") and parses each; empty policies are dropped as the algorithm says.
    /// </summary>
    public static CspHeaderParseResult ParseHeader(string headerValue)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        var diagnostics = ImmutableArray.CreateBuilder<CspDiagnostic>();
        var policies = ImmutableArray.CreateBuilder<CspPolicy>();
        foreach (var part in headerValue.Split(','))
        {
            var policy = ParseCore(part, CspParseMode.Header, diagnostics, commaSplit: true);
            if (!policy.IsEmpty)
            {
                policies.Add(policy);
            }
        }

        if (policies.Count == 0)
        {
            diagnostics.Add(new(CspDiagnosticCode.EmptyPolicy, CspDiagnosticSeverity.Error, "The header holds no directives, so it enforces nothing."));
        }

        return new(policies.ToImmutable(), diagnostics.ToImmutable());
    }

    /// <summary>
    /// Checks one directive given as a name and separate values (the dictionary form of configuration), with the
    /// same rules the parser applies, plus the rules that only make sense for separate values (no <c>;</c>, no
    /// whitespace inside one value).
    /// </summary>
    public static ImmutableArray<CspDiagnostic> ValidateDirective(string name, IReadOnlyList<string> values, CspParseMode mode = CspParseMode.Configuration)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        var diagnostics = ImmutableArray.CreateBuilder<CspDiagnostic>();
        CheckCharacters(name, name, mode, diagnostics);
        if (name.Length == 0 || !name.All(static c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            // Without this, "" would vanish silently and "script-src 'self'" or "a;b" as a name would smuggle values or directives in.
            var leading = new string(name.Trim().TakeWhile(static c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray());
            var suggestion = leading.Length == 0 ? null : CspDirectives.IsKnown(leading) ? leading.ToLowerInvariant() : CspDirectives.SuggestFor(leading);
            diagnostics.Add(new(CspDiagnosticCode.InvalidDirectiveName, CspDiagnosticSeverity.Error,
                $"\"{Shorten(name)}\" is not a directive name (letters, digits and '-' only).", name, null,
                suggestion is not null ? $"Did you mean {suggestion}? Put the values into the value list, not into the name." : "Use a CSP directive name such as script-src as the key and put the sources into its value list."));
            return diagnostics.ToImmutable();
        }

        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            CheckCharacters(value, name, mode, diagnostics);
            if (value.Contains(';', StringComparison.Ordinal))
            {
                diagnostics.Add(new(CspDiagnosticCode.SemicolonInValue, CspDiagnosticSeverity.Error,
                    $"The value \"{value}\" of {name} contains ';', which would end the directive and start another.",
                    name, value, "Give each directive its own entry instead of writing ';' inside a value."));
            }
        }

        if (diagnostics.Count > 0)
        {
            return diagnostics.ToImmutable();
        }

        var tokens = values.Where(static v => v is not null).SelectMany(static v => v.Split(AsciiWhitespace, StringSplitOptions.RemoveEmptyEntries)).ToArray();
        ParseCore(name + (tokens.Length == 0 ? string.Empty : " " + string.Join(' ', tokens)), mode, diagnostics, directiveOnly: true);
        return diagnostics.ToImmutable();
    }

    internal static readonly char[] AsciiWhitespace = ['\t', '\n', '\f', '\r', ' '];

    private static CspPolicy ParseCore(string serialized, CspParseMode mode, ImmutableArray<CspDiagnostic>.Builder diagnostics, bool commaSplit = false, bool directiveOnly = false)
    {
        if (!commaSplit)
        {
            CheckCharacters(serialized, null, mode, diagnostics);
        }

        var directives = new List<CspDirective>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in Tokenize(serialized))
        {
            var name = token.Name.ToLowerInvariant();
            if (!token.IsAscii)
            {
                diagnostics.Add(new(CspDiagnosticCode.NonAsciiDirective, CspDiagnosticSeverity.Error,
                    $"\"{Shorten(token.Text)}\" contains non-ASCII characters, so browsers skip the whole directive.",
                    name, null, "Use ASCII only; write international host names in their punycode (xn--) form."));
                continue;
            }

            if (!names.Add(name))
            {
                diagnostics.Add(new(CspDiagnosticCode.DuplicateDirective, CspDiagnosticSeverity.Error,
                    $"{name} appears more than once; browsers use the first and ignore \"{Shorten(token.Text)}\".",
                    name, null, $"Merge the values into the first {name}."));
                continue;
            }

            var directive = new CspDirective(name, CspDirective.Classify(name, token.Values));
            CheckDirective(directive, token.Name, mode, diagnostics);
            directives.Add(directive);
        }

        if (directives.Count == 0 && !commaSplit && !directiveOnly)
        {
            diagnostics.Add(new(CspDiagnosticCode.EmptyPolicy, CspDiagnosticSeverity.Error, "The policy has no directives, so it enforces nothing.",
                null, null, "Start from default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'."));
        }

        return CspPolicy.Create(directives);
    }

    private static void CheckCharacters(string text, string? directive, CspParseMode mode, ImmutableArray<CspDiagnostic>.Builder diagnostics)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not '\t' and not ' ' || (mode == CspParseMode.Configuration && c is '\r' or '\n' or '\t'))
            {
                diagnostics.Add(new(CspDiagnosticCode.ControlCharacter, CspDiagnosticSeverity.Error,
                    $"\"{Shorten(text)}\" contains the control character U+{(int)c:X4}; in a header it would corrupt or split the response.",
                    directive, null, "Remove line breaks and control characters; separate directives with '; ' and values with spaces."));
                break;
            }
        }

        if (text.Contains(',', StringComparison.Ordinal))
        {
            diagnostics.Add(new(CspDiagnosticCode.CommaInPolicy, CspDiagnosticSeverity.Error,
                $"\"{Shorten(text)}\" contains ',', which starts a second policy in a Content-Security-Policy header.",
                directive, null, "Separate values with spaces and directives with ';'. Percent-encode a comma in a URL as %2C."));
        }
    }

    private static void CheckDirective(CspDirective directive, string writtenName, CspParseMode mode, ImmutableArray<CspDiagnostic>.Builder diagnostics)
    {
        var name = directive.Name;
        var info = directive.Info;
        if (info is null)
        {
            var validName = writtenName.All(static c => char.IsAsciiLetterOrDigit(c) || c == '-');
            var suggestion = CspDirectives.SuggestFor(name.TrimEnd(':'));
            var fix = suggestion is not null ? $"Did you mean {suggestion}?" : "Check the spelling against CSP Level 3; browsers ignore directives they do not know.";
            diagnostics.Add(validName
                ? new(CspDiagnosticCode.UnknownDirective, CspDiagnosticSeverity.Error, $"{Shorten(name)} is not a CSP directive; browsers ignore it.", name, null, fix)
                : new(CspDiagnosticCode.InvalidDirectiveName, CspDiagnosticSeverity.Error,
                    $"\"{Shorten(writtenName)}\" is not a valid directive name (letters, digits and '-' only).", name, null,
                    name.EndsWith(':') ? $"Remove the colon: write {Shorten(name.TrimEnd(':'))} followed by its values." : fix));
            return;
        }

        if (info.IsDeprecated)
        {
            diagnostics.Add(new(CspDiagnosticCode.DeprecatedDirective, CspDiagnosticSeverity.Warning,
                $"{name} is deprecated or removed.", name, null, info.Replacement is null ? null : "Use " + info.Replacement + "."));
        }
        else if (info.IsExperimental)
        {
            diagnostics.Add(new(CspDiagnosticCode.ExperimentalDirective, CspDiagnosticSeverity.Info,
                $"{name} is experimental; browsers without support ignore it.", name));
        }

        switch (info.ValueKind)
        {
            case CspValueKind.SourceList:
            case CspValueKind.AncestorSourceList:
                CheckSourceList(directive, info, mode, diagnostics);
                break;
            case CspValueKind.None:
                if (!directive.Values.IsEmpty)
                {
                    diagnostics.Add(new(CspDiagnosticCode.UnexpectedValue, CspDiagnosticSeverity.Warning,
                        $"{name} takes no value; \"{string.Join(' ', directive.Values)}\" is ignored.", name, directive.Values[0].Text, $"Write {name} on its own."));
                }

                break;
            case CspValueKind.SandboxTokens:
                foreach (var value in directive.Values)
                {
                    if (!s_sandboxFlags.Contains(value.Text, StringComparer.OrdinalIgnoreCase))
                    {
                        var guess = Internal.DidYouMean.Closest(value.Text, s_sandboxFlags);
                        diagnostics.Add(new(CspDiagnosticCode.InvalidValue, CspDiagnosticSeverity.Error,
                            $"\"{value.Text}\" is not a sandbox flag; browsers ignore it.", name, value.Text,
                            guess is null ? "Use flags such as allow-scripts, allow-forms, allow-same-origin." : $"Did you mean {guess}?"));
                    }
                }

                break;
            case CspValueKind.UriReferences:
                RequireValue(directive, "a URL to send reports to, such as https://example.com/csp-reports", diagnostics);
                foreach (var value in directive.Values)
                {
                    if (value.Text.StartsWith('\'') || !Uri.TryCreate(value.Text, UriKind.RelativeOrAbsolute, out _))
                    {
                        diagnostics.Add(new(CspDiagnosticCode.InvalidValue, CspDiagnosticSeverity.Error,
                            $"\"{value.Text}\" is not a URL.", name, value.Text, "Give an absolute https URL or a path starting with '/'."));
                    }
                }

                break;
            case CspValueKind.ReportingEndpointName:
                RequireValue(directive, "the name of an endpoint declared in Reporting-Endpoints", diagnostics);
                if (directive.Values.Length > 1)
                {
                    diagnostics.Add(new(CspDiagnosticCode.MultipleReportToEndpoints, CspDiagnosticSeverity.Error,
                        $"{name} takes one endpoint name; browsers use \"{directive.Values[0].Text}\" only.", name, directive.Values[1].Text,
                        "Keep one endpoint name; an endpoint may have several URLs through the Reporting-Endpoints header."));
                }

                foreach (var value in directive.Values)
                {
                    if (!Internal.HttpTokens.IsToken(value.Text))
                    {
                        diagnostics.Add(new(CspDiagnosticCode.InvalidValue, CspDiagnosticSeverity.Error,
                            $"\"{value.Text}\" is not an endpoint name (an HTTP token, without quotes).", name, value.Text,
                            value.Text.Contains("://", StringComparison.Ordinal) ? "report-to takes an endpoint name; put the URL into Reporting-Endpoints, or use report-uri." : null));
                    }
                }

                break;
            case CspValueKind.TrustedTypesPolicyNames:
                CheckTrustedTypes(directive, diagnostics);
                break;
            case CspValueKind.TrustedTypesSinkGroups:
                RequireValue(directive, "'script'", diagnostics);
                CheckVocabulary(directive, ["'script'"], diagnostics);
                break;
            case CspValueKind.AllowOrBlock:
                RequireValue(directive, "'allow' or 'block'", diagnostics);
                CheckVocabulary(directive, ["'allow'", "'block'"], diagnostics);
                break;
            case CspValueKind.SriResourceTypes:
                CheckVocabulary(directive, ["script", "style"], diagnostics);
                break;
            case CspValueKind.MediaTypes:
                foreach (var value in directive.Values)
                {
                    var slash = value.Text.IndexOf('/', StringComparison.Ordinal);
                    if (slash <= 0 || slash == value.Text.Length - 1)
                    {
                        diagnostics.Add(new(CspDiagnosticCode.InvalidValue, CspDiagnosticSeverity.Error, $"\"{value.Text}\" is not a MIME type.", name, value.Text));
                    }
                }

                break;
            default:
                break;
        }
    }

    private static void CheckSourceList(CspDirective directive, CspDirectiveInfo info, CspParseMode mode, ImmutableArray<CspDiagnostic>.Builder diagnostics)
    {
        var name = directive.Name;
        if (directive.Values.IsEmpty)
        {
            diagnostics.Add(new(CspDiagnosticCode.EmptySourceList, CspDiagnosticSeverity.Warning,
                $"{name} has no sources, which blocks everything it governs.", name, null, $"Write {name} 'none' to say so explicitly."));
            return;
        }

        var seen = new HashSet<CspSource>();
        foreach (var source in directive.Values)
        {
            if (!seen.Add(source))
            {
                diagnostics.Add(new(CspDiagnosticCode.DuplicateSource, CspDiagnosticSeverity.Warning,
                    $"{source.Text} appears twice in {name}.", name, source.Text, "Remove the repetition."));
                continue;
            }

            CheckSource(name, info, source, mode, diagnostics);
        }

        if (directive.Values.Length > 1 && directive.Has(CspSourceKind.None))
        {
            diagnostics.Add(new(CspDiagnosticCode.NoneWithOtherSources, CspDiagnosticSeverity.Error,
                $"{name} combines 'none' with other sources; browsers ignore 'none' and allow the others.", name, "'none'",
                "Either keep 'none' alone to block everything, or remove it."));
        }
    }

    private static void CheckSource(string name, CspDirectiveInfo info, CspSource source, CspParseMode mode, ImmutableArray<CspDiagnostic>.Builder diagnostics)
    {
        var text = source.Text;
        switch (source.Kind)
        {
            case CspSourceKind.Invalid:
                diagnostics.Add(DescribeInvalid(name, text));
                return;
            case CspSourceKind.Host when source.Scheme is null && source.Port is null && source.Path is null
                                        && s_unquotedKeywordNames.Contains(source.Host, StringComparer.OrdinalIgnoreCase):
                diagnostics.Add(new(CspDiagnosticCode.UnquotedKeyword, CspDiagnosticSeverity.Error,
                    $"{text} in {name} is read as a host named \"{text}\", not as the keyword.", name, text, $"Quote it: '{text.ToLowerInvariant()}'."));
                return;
            case CspSourceKind.Host when source.Scheme is null && IsNonceOrHashLike(text):
                diagnostics.Add(new(CspDiagnosticCode.UnquotedNonceOrHash, CspDiagnosticSeverity.Error,
                    $"{text} in {name} is read as a host name, not as a nonce or hash.", name, text, $"Quote it: '{text}'."));
                return;
            case CspSourceKind.Hash when !CspSource.HasExpectedDigestLength(source):
                diagnostics.Add(new(CspDiagnosticCode.InvalidHash, CspDiagnosticSeverity.Error,
                    $"{text} in {name} is not a {source.HashAlgorithm} digest: the base64 value does not decode to {DigestBytes(source.HashAlgorithm)} bytes.",
                    name, text, "Compute it with `secureheaders csp hash` or CspSource.HashOf(content), over the exact inline text."));
                return;
            case CspSourceKind.NoncePlaceholder when mode == CspParseMode.Header:
                diagnostics.Add(new(CspDiagnosticCode.NoncePlaceholderInHeader, CspDiagnosticSeverity.Error,
                    $"{text} in {name} is not a keyword; it looks like an unfilled nonce placeholder.", name, text,
                    "Send 'nonce-<random base64>' with a fresh value per response."));
                return;
            default:
                break;
        }

        if (info.ValueKind == CspValueKind.AncestorSourceList)
        {
            var allowed = source.Kind is CspSourceKind.Scheme or CspSourceKind.Host or CspSourceKind.None
                || source.Equals(CspSource.Self);
            if (!allowed)
            {
                diagnostics.Add(new(CspDiagnosticCode.SourceIgnoredInDirective, CspDiagnosticSeverity.Error,
                    $"{text} is not allowed in {name}, which only takes 'self', 'none', schemes and hosts; browsers ignore it.", name, text,
                    $"Remove {text} from {name}."));
            }

            return;
        }

        var ignored = source.Kind switch
        {
            CspSourceKind.Nonce or CspSourceKind.Hash or CspSourceKind.NoncePlaceholder => !s_inlineCapable.Contains(name),
            CspSourceKind.Keyword => !KeywordApplies(source.Text.ToLowerInvariant(), name),
            _ => false,
        };
        if (ignored)
        {
            diagnostics.Add(new(CspDiagnosticCode.SourceIgnoredInDirective, CspDiagnosticSeverity.Warning,
                $"{text} has no effect in {name}.", name, text, $"Remove {text} from {name}; it only matters in script and style directives."));
        }
    }

    private static bool KeywordApplies(string keyword, string directive) => keyword switch
    {
        "'self'" or "'report-sha256'" or "'report-sha384'" or "'report-sha512'" => true,
        "'unsafe-inline'" or "'unsafe-hashes'" or "'report-sample'" or "'unsafe-eval'" => s_inlineCapable.Contains(directive),
        "'strict-dynamic'" or "'wasm-unsafe-eval'" or "'inline-speculation-rules'" or "'trusted-types-eval'" => s_scriptCapable.Contains(directive),
        "'unsafe-allow-redirects'" => directive == CspDirectives.NavigateTo,
        _ => true,
    };

    private static CspDiagnostic DescribeInvalid(string name, string text)
    {
        var lower = text.ToLowerInvariant();
        if (lower.StartsWith("'nonce-", StringComparison.Ordinal))
        {
            return new(CspDiagnosticCode.InvalidNonce, CspDiagnosticSeverity.Error,
                $"{text} in {name} is not a valid nonce: the value must be base64 or base64url and the token must end with a quote.", name, text,
                "Use at least 16 random bytes, base64-encoded, fresh for every response.");
        }

        if (lower.StartsWith("'sha256-", StringComparison.Ordinal) || lower.StartsWith("'sha384-", StringComparison.Ordinal) || lower.StartsWith("'sha512-", StringComparison.Ordinal))
        {
            return new(CspDiagnosticCode.InvalidHash, CspDiagnosticSeverity.Error,
                $"{text} in {name} is not a valid hash source: the digest must be base64.", name, text,
                "Compute it with `secureheaders csp hash` or CspSource.HashOf(content).");
        }

        if (text.StartsWith('\''))
        {
            foreach (var (old, current) in CspSource.RenamedKeywords)
            {
                if (string.Equals(text, old, StringComparison.OrdinalIgnoreCase))
                {
                    return new(CspDiagnosticCode.RenamedKeyword, CspDiagnosticSeverity.Error,
                        $"{text} in {name} is an old draft's keyword that browsers do not understand.", name, text, $"Use {current}.");
                }
            }

            var guess = Internal.DidYouMean.Closest(text, CspSource.KnownKeywords.Append("'none'"));
            return new(CspDiagnosticCode.UnknownKeyword, CspDiagnosticSeverity.Error,
                $"{text} in {name} is not a CSP keyword; browsers ignore it.", name, text,
                guess is not null ? $"Did you mean {guess}?" : "Keywords are 'self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic', 'unsafe-hashes', 'report-sample', 'wasm-unsafe-eval'.");
        }

        if (IsNonceOrHashLike(text))
        {
            return new(CspDiagnosticCode.UnquotedNonceOrHash, CspDiagnosticSeverity.Error,
                $"{text} in {name} is a nonce or hash without its single quotes; browsers ignore it.", name, text, $"Quote it: '{text}'.");
        }

        return new(CspDiagnosticCode.InvalidSource, CspDiagnosticSeverity.Error,
            $"\"{text}\" in {name} is not a valid source expression; browsers ignore it.", name, text,
            "Use a scheme (https:), a host (https://cdn.example.com, *.example.com:443/path/), or a quoted keyword, nonce or hash.");
    }

    private static bool IsNonceOrHashLike(string text)
    {
        var lower = text.ToLowerInvariant();
        return lower.StartsWith("nonce-", StringComparison.Ordinal) || lower.StartsWith("sha256-", StringComparison.Ordinal)
            || lower.StartsWith("sha384-", StringComparison.Ordinal) || lower.StartsWith("sha512-", StringComparison.Ordinal);
    }

    private static void CheckTrustedTypes(CspDirective directive, ImmutableArray<CspDiagnostic>.Builder diagnostics)
    {
        foreach (var value in directive.Values)
        {
            var text = value.Text;
            var ok = value.Kind == CspSourceKind.None
                || text is "*" || string.Equals(text, "'allow-duplicates'", StringComparison.OrdinalIgnoreCase)
                || (text.Length > 0 && text.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '#' or '=' or '_' or '/' or '@' or '.' or '%'));
            if (!ok)
            {
                diagnostics.Add(new(CspDiagnosticCode.InvalidValue, CspDiagnosticSeverity.Error,
                    $"\"{text}\" is not a Trusted Types policy name, 'none', 'allow-duplicates' or *.", directive.Name, text));
            }
        }

        if (directive.Values.Length > 1 && directive.Has(CspSourceKind.None))
        {
            diagnostics.Add(new(CspDiagnosticCode.NoneWithOtherSources, CspDiagnosticSeverity.Error,
                "trusted-types combines 'none' with policy names.", directive.Name, "'none'", "Keep 'none' alone, or list only policy names."));
        }
    }

    private static void CheckVocabulary(CspDirective directive, string[] vocabulary, ImmutableArray<CspDiagnostic>.Builder diagnostics)
    {
        foreach (var value in directive.Values)
        {
            if (!vocabulary.Contains(value.Text, StringComparer.OrdinalIgnoreCase))
            {
                diagnostics.Add(new(CspDiagnosticCode.InvalidValue, CspDiagnosticSeverity.Error,
                    $"\"{value.Text}\" is not allowed in {directive.Name}.", directive.Name, value.Text, "Allowed: " + string.Join(", ", vocabulary) + "."));
            }
        }
    }

    private static void RequireValue(CspDirective directive, string what, ImmutableArray<CspDiagnostic>.Builder diagnostics)
    {
        if (directive.Values.IsEmpty)
        {
            diagnostics.Add(new(CspDiagnosticCode.MissingValue, CspDiagnosticSeverity.Error,
                $"{directive.Name} needs a value; without one browsers ignore it.", directive.Name, null, $"Give {what}."));
        }
    }

    private static int DigestBytes(string? algorithm) => algorithm switch { "sha384" => 48, "sha512" => 64, _ => 32 };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
