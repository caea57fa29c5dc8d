using System.CommandLine;
using SecureHeaders.Cli.Commands;

// The `secureheaders` tool. Each command group lives in its own file under Commands/.
var root = new RootCommand("SecureHeaders: grade, evaluate and monitor HTTP security headers.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
