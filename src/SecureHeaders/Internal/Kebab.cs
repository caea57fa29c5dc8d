using System.Text;

namespace SecureHeaders.Internal;

/// <summary>Conversions between PascalCase/camelCase identifiers and the kebab-case names of CSP and JSON output.</summary>
internal static class Kebab
{
    /// <summary><c>AllowSameOrigin</c> → <c>allow-same-origin</c>, <c>scriptSrc</c> → <c>script-src</c>.</summary>
    public static string FromPascal(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0)
                {
                    sb.Append('-');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
