using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace SecureHeaders.Build.Tests;

/// <summary>
/// tests/Fixtures/BlazorWasm (the <c>dotnet new blazorwasm</c> app) published once per test run with `dotnet publish`,
/// which runs SecureHeaders.Build's target. Build output goes to a temporary artifacts folder, so the source tree stays
/// clean and every run starts from scratch. A publish takes minutes on a small machine: every test shares this one.
/// </summary>
public sealed class PublishedWasmApp : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("secureheaders-wasm");

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public string PublishDirectory => Path.Combine(_root.FullName, "publish");

    public string SiteDirectory => Path.Combine(PublishDirectory, "wwwroot");

    public int ExitCode { get; private set; }

    public string Output { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var project = Path.Combine(RepositoryRoot, "tests", "Fixtures", "BlazorWasm", "BlazorWasm.csproj");
        var task = Path.Combine(Metadata("SecureHeadersBuildTaskDirectory"), "SecureHeaders.Build.dll");
        if (!File.Exists(task))
        {
            throw new InvalidOperationException($"{task} does not exist; build src/SecureHeaders.Build first.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", project, "-c", "Release", "-o", PublishDirectory, "--artifacts-path", Path.Combine(_root.FullName, "artifacts"),
            "-nodeReuse:false", "--disable-build-servers", "-p:SecureHeadersBuildTaskAssembly=" + task,
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild settings must not leak into the child build.
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        ExitCode = process.ExitCode;
        Output = output.Append(await stdout).Append(await stderr).ToString();
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A browser or server still closing a file; the temporary folder is the OS's to clean then.
        }

        return ValueTask.CompletedTask;
    }

    public void AssertPublished() => Assert.True(ExitCode == 0, $"dotnet publish failed ({ExitCode}):\n{Output}");

    private static string Metadata(string key) =>
        typeof(PublishedWasmApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

[CollectionDefinition(Name)]
public sealed class PublishedWasmAppGroup : ICollectionFixture<PublishedWasmApp>
{
    public const string Name = "published blazorwasm";
}
