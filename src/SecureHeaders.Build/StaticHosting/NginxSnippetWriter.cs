using System.Text;
using SecureHeaders.Headers;

namespace SecureHeaders.Build.StaticHosting;

/// <summary>Writes headers as nginx <c>add_header NAME "VALUE" always;</c> lines, for <c>include</c> in a server or location block.</summary>
internal static class NginxSnippetWriter
{
    /// <summary>The snippet, or <see langword="null"/> with <paramref name="error"/> set when a value cannot be written for nginx.</summary>
    public static string? Write(IReadOnlyList<HeaderField> headers, string source, out string? error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var text = new StringBuilder();
        text.Append("# Security headers written by SecureHeaders.Build from ").Append(source).Append(" at publish; do not edit, publish again.\n")
            .Append("# Include this file in the server block that serves the site: include /path/to/secureheaders.nginx.conf;\n")
            .Append("# nginx drops inherited add_header lines in a block that has its own add_header: include it in such blocks too.\n");
        foreach (var header in headers)
        {
            if (header.Value.Contains('$', StringComparison.Ordinal))
            {
                // nginx expands $name in add_header values and has no escape for a literal dollar sign.
                error = $"The value of {header.Name} contains '$', which nginx reads as a variable and cannot escape.";
                return null;
            }

            // `always` sends the header with error responses (4xx/5xx) too, which nginx leaves out otherwise.
            text.Append("add_header ").Append(header.Name).Append(' ').Append(Quote(header.Value)).Append(" always;\n");
        }

        error = null;
        return text.ToString();
    }

    /// <summary>An nginx double-quoted string: backslash and double quote are escaped with a backslash.</summary>
    internal static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }
}
