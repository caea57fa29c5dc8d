using SecureHeaders.DocGen;

// Writes the configuration schemas, docs/configuration.md and the README's settings table from the setting
// descriptions. Run from anywhere: dotnet run --project tools/SecureHeaders.DocGen
var root = args.Length > 0 ? args[0] : FindRepositoryRoot();
foreach (var (path, content) in GeneratedFiles.Create(root))
{
    var full = Path.Combine(root, path);
    var changed = !File.Exists(full) || File.ReadAllText(full) != content;
    if (changed)
    {
        File.WriteAllText(full, content);
    }

    Console.WriteLine((changed ? "wrote     " : "unchanged ") + path);
}

static string FindRepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SecureHeaders.slnx")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Run it inside the repository, or pass the repository root.");
}
