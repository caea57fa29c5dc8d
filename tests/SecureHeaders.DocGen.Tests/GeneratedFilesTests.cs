using System.Runtime.CompilerServices;
using System.Text.Json;

namespace SecureHeaders.DocGen.Tests;

/// <summary>The schema files, docs/configuration.md and the README's settings table match the setting descriptions.</summary>
public class GeneratedFilesTests
{
    public static TheoryData<string> Files => [.. GeneratedFiles.Create(Root()).Keys];

    [Theory]
    [MemberData(nameof(Files))]
    public void Generated_files_are_up_to_date(string path)
    {
        var expected = GeneratedFiles.Create(Root())[path];
        var actual = File.ReadAllText(Path.Combine(Root(), path));
        Assert.True(expected == actual, $"{path} is out of date with the setting descriptions. Run: dotnet run --project tools/SecureHeaders.DocGen");
    }

    [Fact]
    public void Every_header_appears_in_the_schema_and_the_docs()
    {
        var files = GeneratedFiles.Create(Root());
        using var schema = JsonDocument.Parse(files["src/SecureHeaders.AspNetCore/ConfigurationSchema.json"]);
        var properties = schema.RootElement.GetProperty("properties").GetProperty("SecureHeaders").GetProperty("properties");
        foreach (var header in Headers.HeaderRegistry.All)
        {
            Assert.True(properties.TryGetProperty(header.Key, out _), $"{header.Key} is missing from the schema.");
            Assert.Contains("| `" + header.Key + "`", files["docs/configuration.md"], StringComparison.Ordinal);
            Assert.Contains("| `" + header.Key + "`", files["README.md"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_schema_is_closed_so_editors_flag_typos()
    {
        using var schema = JsonDocument.Parse(GeneratedFiles.Create(Root())["src/SecureHeaders.AspNetCore/ConfigurationSchema.json"]);
        var section = schema.RootElement.GetProperty("properties").GetProperty("SecureHeaders");
        Assert.False(section.GetProperty("additionalProperties").GetBoolean());
        var hsts = section.GetProperty("properties").GetProperty("StrictTransportSecurity");
        Assert.Contains("MaxAge", hsts.GetProperty("properties").EnumerateObject().Select(static p => p.Name));
        Assert.Contains("string", hsts.GetProperty("type").EnumerateArray().Select(static t => t.GetString()));
    }

    private static string Root([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
