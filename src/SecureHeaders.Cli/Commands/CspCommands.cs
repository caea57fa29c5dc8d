using System.CommandLine;

namespace SecureHeaders.Cli.Commands;

/// <summary>The <c>secureheaders csp</c> command group: <c>evaluate</c> and <c>hash</c>.</summary>
internal static class CspCommands
{
    public static Command Create()
    {
        var csp = new Command("csp", "Evaluate content security policies and hash inline scripts and styles.");
        csp.Subcommands.Add(CspEvaluateCommand.Create());
        csp.Subcommands.Add(CspHashCommand.Create());
        return csp;
    }

    /// <summary>
    /// Colour only for a terminal: not when output is redirected, when NO_COLOR is set to anything
    /// (https://no-color.org), or when TERM is "dumb".
    /// </summary>
    internal static bool UseColor(bool noColorOption) =>
        !noColorOption
        && !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
}
