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
