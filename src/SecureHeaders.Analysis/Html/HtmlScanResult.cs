using System.Collections.Immutable;
using SecureHeaders.Csp;

namespace SecureHeaders.Analysis.Html;

/// <summary>How to read a file: plain HTML, or a Razor view/component (<c>.cshtml</c>, <c>.razor</c>) with <c>@</c> transitions.</summary>
public enum HtmlDocumentKind
{
    /// <summary>HTML (<c>.html</c>, <c>.htm</c>).</summary>
    Html,

    /// <summary>Razor (<c>.cshtml</c>, <c>.razor</c>): C# after <c>@</c> is skipped, and content with Razor expressions is reported as dynamic.</summary>
    Razor,
}

/// <summary>How a served page is read for the Observatory emulation.</summary>
internal enum HtmlReading
{
    /// <summary>As the DOM jsdom builds with scripting disabled (Observatory 1.4.8).</summary>
    Dom,

    /// <summary>As htmlparser2's flat stream of start tags (Observatory 1.5 and later): no template or SVG scoping.</summary>
    TagStream,
}

/// <summary>What kind of inline code an <see cref="HtmlInlineContent"/> is.</summary>
public enum HtmlInlineKind
{
    /// <summary>An inline <c>&lt;script&gt;</c> block that browsers execute (classic, module, importmap, speculationrules); governed by script-src(-elem).</summary>
    Script,

    /// <summary>An inline <c>&lt;style&gt;</c> block; governed by style-src(-elem).</summary>
    Style,

    /// <summary>An event-handler attribute such as <c>onclick</c>; a hash only allows it with <c>'unsafe-hashes'</c> (script-src-attr).</summary>
    EventHandler,

    /// <summary>A <c>style</c> attribute; a hash only allows it with <c>'unsafe-hashes'</c> (style-src-attr).</summary>
    StyleAttribute,

    /// <summary>A <c>javascript:</c> URL in href/src/action; CSP treats it as inline script. Move the code into a listener.</summary>
    JavaScriptUrl,
}

/// <summary>One piece of inline code found in a page.</summary>
/// <param name="Kind">Script block, style block, event handler, style attribute or javascript: URL.</param>
/// <param name="Line">1-based line of the tag (blocks) or of the attribute (attributes).</param>
/// <param name="Content">
/// The text the browser hashes: for blocks the exact text between the tags (no entity decoding, as in HTML raw
/// text); for attributes the value with character references decoded. In Razor files <c>@@</c> is already
/// turned into <c>@</c>. Line endings are kept as in the file; <see cref="Hash"/> normalises them as the HTML parser does.
/// </param>
/// <param name="Type">The <c>type</c> attribute of a script (e.g. <c>module</c>, <c>importmap</c>), or <see langword="null"/>.</param>
/// <param name="AttributeName">For attributes: the attribute's name (lower case).</param>
/// <param name="HasNonce">The element carries a <c>nonce</c> attribute (or a <c>*-nonce</c> tag-helper attribute such as <c>asp-add-nonce</c>), so it needs no hash.</param>
/// <param name="DynamicReason">
/// Why the content cannot be hashed at build time (it contains Razor expressions, so what is served differs from
/// the file); <see langword="null"/> when the content is static.
/// </param>
public sealed record HtmlInlineContent(HtmlInlineKind Kind, int Line, string Content, string? Type, string? AttributeName, bool HasNonce, string? DynamicReason)
{
    /// <summary>True when the served content depends on Razor code: use a nonce, not a hash.</summary>
    public bool IsDynamic => DynamicReason is not null;

    /// <summary>True for attributes: their hashes only count together with <c>'unsafe-hashes'</c>.</summary>
    public bool NeedsUnsafeHashes => Kind is HtmlInlineKind.EventHandler or HtmlInlineKind.StyleAttribute;

    /// <summary>The directive a hash of this content belongs in: <c>script-src</c> or <c>style-src</c>.</summary>
    public string Directive => Kind is HtmlInlineKind.Style or HtmlInlineKind.StyleAttribute ? CspDirectives.StyleSrc : CspDirectives.ScriptSrc;

    /// <summary>The hash source browsers compute for this content (line endings normalised, UTF-8; see <see cref="CspHashes"/>).</summary>
    public CspSource Hash(CspHashAlgorithm algorithm = CspHashAlgorithm.Sha256) => CspHashes.Compute(Content, algorithm);
}

/// <summary>Whether an external resource is a script or a stylesheet.</summary>
public enum HtmlExternalKind
{
    /// <summary><c>&lt;script src&gt;</c>.</summary>
    Script,

    /// <summary><c>&lt;link rel="stylesheet" href&gt;</c>.</summary>
    Stylesheet,
}

/// <summary>A script or stylesheet loaded from a URL, with what Subresource Integrity needs.</summary>
/// <param name="Kind">Script or stylesheet.</param>
/// <param name="Line">1-based line of the tag.</param>
/// <param name="Url">The <c>src</c>/<c>href</c> value (character references decoded).</param>
/// <param name="Integrity">The <c>integrity</c> attribute, or <see langword="null"/>.</param>
/// <param name="CrossOrigin">The <c>crossorigin</c> attribute (empty string when present without value), or <see langword="null"/>.</param>
/// <param name="HasNonce">The element carries a nonce (or a <c>*-nonce</c> tag-helper attribute).</param>
public sealed record HtmlExternalResource(HtmlExternalKind Kind, int Line, string Url, string? Integrity, string? CrossOrigin, bool HasNonce);

/// <summary>A <c>&lt;meta&gt;</c> element that carries a policy.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Name">
/// <c>content-security-policy</c> or <c>content-security-policy-report-only</c> (from <c>http-equiv</c>; browsers
/// ignore the report-only one in meta), or <c>referrer</c> (from <c>name</c>).
/// </param>
/// <param name="Content">The <c>content</c> attribute, character references decoded.</param>
public sealed record HtmlMetaPolicy(int Line, string Name, string Content)
{
    /// <summary>
    /// On a <c>referrer</c> entry: the element also has an <c>http-equiv</c> attribute (invalid HTML). Browsers read
    /// the name anyway; the Observatory and the analysis do not. Always false on the http-equiv entries.
    /// </summary>
    internal bool ReferrerBesideHttpEquiv { get; init; }
}

/// <summary>Everything <see cref="HtmlInlineScanner"/> found in one document.</summary>
/// <param name="Inline">Inline scripts, styles, handlers, style attributes and javascript: URLs, in document order.</param>
/// <param name="External">External scripts and stylesheets.</param>
/// <param name="Meta">Meta elements with a CSP or a referrer policy.</param>
public sealed record HtmlScanResult(ImmutableArray<HtmlInlineContent> Inline, ImmutableArray<HtmlExternalResource> External, ImmutableArray<HtmlMetaPolicy> Meta)
{
    /// <summary>The <c>href</c> of links and areas and the <c>src</c> of frames, as written (for crawling), in document order.</summary>
    internal ImmutableArray<string> Links { get; init; } = [];

    /// <summary>Every <c>script</c> element, inline or external, executed or not: the Observatory's SRI test counts them all.</summary>
    internal int ScriptElements { get; init; }
}
