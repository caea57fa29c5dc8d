using System.Text.Json;
using SecureHeaders.Cli.Commands;
using SecureHeaders.Csp;

namespace SecureHeaders.Cli.Tests;

public sealed class CspHashCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("csp-hash-").FullName;

    public CspHashCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "Views", "Home"));
        Directory.CreateDirectory(Path.Combine(_root, "bin"));
        File.WriteAllText(Path.Combine(_root, "Views", "Home", "Index.cshtml"), "<h1>@ViewData[\"Title\"]</h1>\r\n<script>\r\nstart();\r\n</script>\r\n<script>var n = '@Model.Name';</script>\r\n");
        File.WriteAllText(Path.Combine(_root, "index.html"), "<style>p{}</style>\n<button onclick=\"go()\">x</button>\n");
        File.WriteAllText(Path.Combine(_root, "bin", "skipped.html"), "<script>skipped()</script>");
        File.WriteAllText(Path.Combine(_root, "notes.txt"), "<script>ignored()</script>");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Prints_file_line_and_hash_and_writes_a_loadable_manifest()
    {
        var output = new StringWriter();
        var exit = CspHashCommand.Run(["."], new(CspHashAlgorithm.Sha256, "csp-hashes.json", Json: false, Color: false), _root, output, TextWriter.Null);

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("Views/Home/Index.cshtml:2  script  " + CspHashes.Compute("\nstart();\n").Text, text, StringComparison.Ordinal);
        Assert.Contains("Views/Home/Index.cshtml:5  script  dynamic:", text, StringComparison.Ordinal);
        Assert.Contains("index.html:2  onclick  " + CspHashes.Compute("go()").Text + "  (script-src with 'unsafe-hashes')", text, StringComparison.Ordinal);
        Assert.DoesNotContain("skipped", text, StringComparison.Ordinal);
        Assert.DoesNotContain("notes.txt", text, StringComparison.Ordinal);

        var manifest = CspHashManifest.Load(Path.Combine(_root, "csp-hashes.json"));
        Assert.Equal([CspHashes.Compute("\nstart();\n")], manifest.ScriptHashes);
        Assert.Equal([CspHashes.Compute("p{}")], manifest.StyleHashes);
        Assert.Equal("onclick", Assert.Single(manifest.Attributes).Attribute);
    }

    [Fact]
    public void The_templates_empty_import_map_is_reported_as_filled_at_run_time_and_not_hashed()
    {
        // The layout of `dotnet new webapp` / `dotnet new mvc` as the template writes it.
        Directory.CreateDirectory(Path.Combine(_root, "Pages", "Shared"));
        File.WriteAllText(Path.Combine(_root, "Pages", "Shared", "_Layout.cshtml"),
            "<head>\n    <title>@ViewData[\"Title\"] - App</title>\n    <script type=\"importmap\"></script>\n</head>\n<body>@RenderBody()\n<script type=\"importmap\">{\"imports\":{}}</script>\n</body>\n");
        var output = new StringWriter();
        CspHashCommand.Run(["Pages"], new(CspHashAlgorithm.Sha256, "csp-hashes.json", Json: false, Color: false), _root, output, TextWriter.Null);

        var text = output.ToString();
        Assert.Contains("Pages/Shared/_Layout.cshtml:3  script (importmap)  filled at run time: ASP.NET Core's script tag helper", text, StringComparison.Ordinal);
        Assert.DoesNotContain(CspHashes.Compute(string.Empty).Text, text, StringComparison.Ordinal);
        Assert.Contains("0 dynamic, 1 filled at run time.", text, StringComparison.Ordinal);

        // A map written in the file is the file's text: hashed as any inline script.
        var manifest = CspHashManifest.Load(Path.Combine(_root, "csp-hashes.json"));
        Assert.Equal([CspHashes.Compute("{\"imports\":{}}")], manifest.ScriptHashes);
        Assert.Empty(manifest.Dynamic);
    }

    [Fact]
    public void Json_output_is_the_manifest_with_the_chosen_algorithm()
    {
        var output = new StringWriter();
        CspHashCommand.Run(["index.html"], new(CspHashAlgorithm.Sha384, null, Json: true, Color: false), _root, output, TextWriter.Null);

        var root = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("sha384", root.GetProperty("algorithm").GetString());
        Assert.Equal(CspHashes.Compute("p{}", CspHashAlgorithm.Sha384).Text, root.GetProperty("styles")[0].GetProperty("hash").GetString());
        Assert.Equal("index.html", root.GetProperty("styles")[0].GetProperty("file").GetString());
        Assert.Equal(2, root.GetProperty("attributes")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public void Missing_paths_exit_with_2()
    {
        var error = new StringWriter();
        Assert.Equal(2, CspHashCommand.Run(["does-not-exist"], new(CspHashAlgorithm.Sha256, null, false, false), _root, TextWriter.Null, error));
        Assert.Contains("does-not-exist", error.ToString(), StringComparison.Ordinal);
    }
}
