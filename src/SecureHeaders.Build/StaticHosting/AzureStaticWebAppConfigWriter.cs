using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureHeaders.Headers;

namespace SecureHeaders.Build.StaticHosting;

/// <summary>
/// Writes the <c>globalHeaders</c> of Azure Static Web Apps' <c>staticwebapp.config.json</c>. An existing file
/// (routes, navigationFallback…) is kept: only the headers SecureHeaders sets are replaced.
/// </summary>
internal static class AzureStaticWebAppConfigWriter
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        // The file is read by the host, never embedded in HTML: '+' and '\'' in CSP values stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file's new text, or <see langword="null"/> with <paramref name="error"/> set when <paramref name="existing"/> is not a JSON object.</summary>
    public static string? Write(IReadOnlyList<HeaderField> headers, string? existing, out string? error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        JsonObject root;
        if (string.IsNullOrWhiteSpace(existing))
        {
            root = [];
        }
        else
        {
            try
            {
                if (JsonNode.Parse(existing, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) is not JsonObject parsed)
                {
                    error = "The file is not a JSON object.";
                    return null;
                }

                root = parsed;
            }
            catch (JsonException e)
            {
                error = "The file is not valid JSON: " + e.Message;
                return null;
            }
        }

        if (root["globalHeaders"] is not JsonObject global)
        {
            if (root["globalHeaders"] is not null)
            {
                error = "globalHeaders is not an object of header names and values.";
                return null;
            }

            global = [];
            root["globalHeaders"] = global;
        }

        foreach (var header in headers)
        {
            // Header names are case-insensitive: a differently cased entry the user wrote is replaced, not doubled.
            foreach (var key in global.Select(static p => p.Key).Where(k => string.Equals(k, header.Name, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                global.Remove(key);
            }

            global[header.Name] = header.Value;
        }

        error = null;
        return root.ToJsonString(s_options) + "\n";
    }
}
