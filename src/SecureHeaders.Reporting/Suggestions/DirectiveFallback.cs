namespace SecureHeaders.Reporting.Suggestions;

/// <summary>
/// Which directive a browser actually consults for an effective directive: CSP3 §6.8.3 "Get the effective directive
/// for request" names the most specific one and §6.8.4 "Directive fallback list" the order it falls back in.
/// </summary>
internal static class DirectiveFallback
{
    public static string[] For(string effective) => effective switch
    {
        "script-src-elem" => ["script-src-elem", "script-src", "default-src"],
        "script-src-attr" => ["script-src-attr", "script-src", "default-src"],
        "style-src-elem" => ["style-src-elem", "style-src", "default-src"],
        "style-src-attr" => ["style-src-attr", "style-src", "default-src"],
        "worker-src" => ["worker-src", "child-src", "script-src", "default-src"],
        "frame-src" => ["frame-src", "child-src", "default-src"],
        "script-src" or "style-src" or "child-src" or "connect-src" or "font-src" or "img-src" or "manifest-src"
            or "media-src" or "object-src" or "prefetch-src" or "fenced-frame-src" => [effective, "default-src"],
        // frame-ancestors, form-action, base-uri, sandbox… never fall back.
        _ => [effective],
    };

    /// <summary>The directive to create when the browser fell back to <c>default-src</c>: the usual, non-split name.</summary>
    public static string NameToCreate(string effective) => effective switch
    {
        "script-src-elem" or "script-src-attr" => "script-src",
        "style-src-elem" or "style-src-attr" => "style-src",
        _ => effective,
    };
}
