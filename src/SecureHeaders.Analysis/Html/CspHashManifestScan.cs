using SecureHeaders.Csp;

namespace SecureHeaders.Analysis.Html;

/// <summary>Turns the inline code found by <see cref="HtmlInlineScanner"/> into a <see cref="CspHashManifest"/>.</summary>
public static class CspHashManifestScan
{
    /// <summary>
    /// Builds a manifest from scan results; nonced and dynamic content gets no hash (dynamic content is listed in
    /// <see cref="CspHashManifest.Dynamic"/>), and elements the framework fills at run time
    /// (<see cref="HtmlInlineContent.FilledAtRunTime"/>) are left out.
    /// </summary>
    public static CspHashManifest FromScan(IEnumerable<(string File, HtmlScanResult Result)> files, CspHashAlgorithm algorithm = CspHashAlgorithm.Sha256)
    {
        ArgumentNullException.ThrowIfNull(files);
        var scripts = new List<CspHashManifestEntry>();
        var styles = new List<CspHashManifestEntry>();
        var attributes = new List<CspHashManifestEntry>();
        var dynamic = new List<CspHashManifestDynamicEntry>();
        foreach (var (file, result) in files)
        {
            foreach (var item in result.Inline)
            {
                if (item.FilledAtRunTime is not null)
                {
                    continue; // the served content is the framework's, hashed at run time by the middleware
                }

                if (item.IsDynamic || item.Kind == HtmlInlineKind.JavaScriptUrl)
                {
                    dynamic.Add(new(file, item.Line, KindName(item.Kind), item.DynamicReason ?? "cannot be hashed"));
                    continue;
                }

                if (item.HasNonce)
                {
                    continue;
                }

                var entry = new CspHashManifestEntry(file, item.Line, item.Hash(algorithm), item.AttributeName);
                (item.Kind switch
                {
                    HtmlInlineKind.Script => scripts,
                    HtmlInlineKind.Style => styles,
                    _ => attributes,
                }).Add(entry);
            }
        }

        return new CspHashManifest(algorithm, scripts, styles, attributes, dynamic);
    }

    private static string KindName(HtmlInlineKind kind) => kind switch
    {
        HtmlInlineKind.Script => "script",
        HtmlInlineKind.Style => "style",
        HtmlInlineKind.EventHandler => "event-handler",
        HtmlInlineKind.StyleAttribute => "style-attribute",
        _ => "javascript-url",
    };
}
