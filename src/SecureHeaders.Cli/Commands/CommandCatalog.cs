using System.CommandLine;

namespace SecureHeaders.Cli.Commands;

/// <summary>The top-level commands of the tool, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        // Command groups register themselves here, one line each:
        yield return ScanCommand.Create();
        yield return GradeCommand.Create();
        yield return CspCommands.Create();
        yield return ReportsCommands.Create();
    }
}
