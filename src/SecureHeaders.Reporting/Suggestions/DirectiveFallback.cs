using SecureHeaders.Csp;

namespace SecureHeaders.Reporting.Suggestions;

/// <summary>
/// Which directive a browser actually consults for an effective directive: the directive registry's fallback list
/// (CSP3 §6.8.3, for example <c>script-src-elem → script-src → default-src</c>), and the directive to create instead of
/// widening <c>default-src</c>.
/// </summary>
internal static class DirectiveFallback
{
    /// <summary>The directives consulted for <paramref name="effective"/>, most specific first; a directive without fallback (frame-ancestors, form-action…) is consulted alone.</summary>
    public static IReadOnlyList<string> For(string effective) =>
        CspDirectives.Find(effective) is { Fallback.Count: > 0 } info ? info.Fallback : [effective];

    /// <summary>The directive to create when the browser fell back to <c>default-src</c>: the usual, non-split name.</summary>
    public static string NameToCreate(string effective) => effective switch
    {
        "script-src-elem" or "script-src-attr" => "script-src",
        "style-src-elem" or "style-src-attr" => "style-src",
        _ => effective,
    };
}
