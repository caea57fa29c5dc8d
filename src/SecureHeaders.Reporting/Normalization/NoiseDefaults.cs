namespace SecureHeaders.Reporting.Normalization;

/// <summary>Default noise list: schemes that only browser extensions, built-in pages or injected tooling produce.</summary>
internal static class NoiseDefaults
{
    // Reports naming these schemes come from code the site never shipped (add-ons, browser UI, saved pages),
    // so no policy change could or should allow them.
    public static readonly string[] Schemes =
    [
        "chrome-extension", "moz-extension", "safari-extension", "safari-web-extension", "ms-browser-extension",
        "edge-extension", "opera-extension", "webkit-masked-url", "chrome", "chrome-search", "edge", "opera",
        "brave", "vivaldi", "about", "resource", "jar", "file", "view-source", "gsa", "mxaddon-pkg",
        "android-webview-video-poster", "ms-appx-web", "devtools", "genericextension",
    ];
}
