using System.CommandLine;

namespace SecureHeaders.Cli.Commands;

/// <summary><c>secureheaders csp hash PATH... [--algorithm] [--manifest FILE] [--json]</c> (filled in below).</summary>
internal static class CspHashCommand
{
    public static Command Create() => new("hash", "Hash inline scripts, styles and event handlers of .cshtml, .razor and .html files.");
}
