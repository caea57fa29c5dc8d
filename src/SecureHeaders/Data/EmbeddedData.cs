using System.Reflection;

namespace SecureHeaders.Data;

/// <summary>Reads the JSON files compiled into this assembly (see Data/README.md for their sources and licences).</summary>
internal static class EmbeddedData
{
    public const string AllowlistBypasses = "csp-allowlist-bypasses.json";
    public const string BrowserSupport = "browser-support-http-headers.json";

    /// <summary>Opens an embedded data file; the resource names are fixed by the LogicalName in the project file.</summary>
    public static Stream Open(string fileName)
    {
        var name = "SecureHeaders.Data." + fileName;
        return typeof(EmbeddedData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {typeof(EmbeddedData).Assembly.GetName().Name}; the build did not embed Data/{fileName}.");
    }

    /// <summary>The names of all embedded data files, for tests.</summary>
    public static IEnumerable<string> Names() =>
        typeof(EmbeddedData).Assembly.GetManifestResourceNames()
            .Where(static n => n.StartsWith("SecureHeaders.Data.", StringComparison.Ordinal))
            .Select(static n => n["SecureHeaders.Data.".Length..]);

    internal static Assembly Assembly => typeof(EmbeddedData).Assembly;
}
