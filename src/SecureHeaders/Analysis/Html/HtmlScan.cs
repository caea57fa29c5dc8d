using System.Collections.Immutable;

namespace SecureHeaders.Analysis.Html;

/// <summary>A <c>&lt;meta&gt;</c> element: its attributes by lower-case name (the first occurrence of each wins, as in HTML).</summary>
/// <param name="Attributes">The attributes, names lower-cased, values with character references decoded.</param>
public sealed record HtmlMetaElement(ImmutableDictionary<string, string> Attributes)
{
    /// <summary>The value of an attribute, or <see langword="null"/> when it is absent.</summary>
    public string? Get(string name) => Attributes.GetValueOrDefault(name);
}

/// <summary>A <c>&lt;script&gt;</c> element as the SRI check sees it.</summary>
/// <param name="Src">The <c>src</c> attribute as written, or <see langword="null"/>.</param>
/// <param name="Integrity">The <c>integrity</c> attribute, or <see langword="null"/>.</param>
/// <param name="CrossOrigin">The <c>crossorigin</c> attribute, or <see langword="null"/>.</param>
/// <param name="InForeignContent">True for an SVG or MathML <c>script</c> element, which has no <c>src</c>.</param>
public sealed record HtmlScriptElement(string? Src, string? Integrity, string? CrossOrigin, bool InForeignContent);

/// <summary>What the analysis needs from an HTML page.</summary>
/// <param name="Metas">Every <c>meta</c> element outside <c>template</c> contents, in document order.</param>
/// <param name="Scripts">Every <c>script</c> element outside <c>template</c> contents, in document order.</param>
public sealed record HtmlScan(ImmutableArray<HtmlMetaElement> Metas, ImmutableArray<HtmlScriptElement> Scripts);

/// <summary>
/// The seam between the analysis and an HTML parser. The analysis reads pages only through it, so the tolerant
/// scanner of <c>SecureHeaders.Html</c> can replace the minimal one without touching the checks.
/// </summary>
internal interface IHtmlScanner
{
    HtmlScan Scan(string html);
}
