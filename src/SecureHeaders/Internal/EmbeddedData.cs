using System.Text.Json;

namespace SecureHeaders.Internal;

/// <summary>Reads the JSON data files embedded under <c>Data/</c>.</summary>
internal static class EmbeddedData
{
    /// <summary>Opens <c>Data/{relativePath}</c> (forward slashes) as JSON.</summary>
    public static JsonDocument Load(string relativePath)
    {
        var name = "SecureHeaders.Data." + relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar);
        using var stream = typeof(EmbeddedData).Assembly.GetManifestResourceStream(name)
            ?? typeof(EmbeddedData).Assembly.GetManifestResourceStream("SecureHeaders.Data." + relativePath.Replace('/', '\\'))
            ?? throw new InvalidOperationException($"The embedded data file {relativePath} is missing from the SecureHeaders assembly.");
        return JsonDocument.Parse(stream);
    }
}
