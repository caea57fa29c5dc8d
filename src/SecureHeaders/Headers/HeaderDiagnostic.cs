using System.Collections.Immutable;
using SecureHeaders.Configuration;

namespace SecureHeaders.Headers;

/// <summary>One problem found in a header value.</summary>
/// <param name="Code">A stable kebab-case identifier, e.g. <c>hsts-max-age-missing</c>.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Fix">How to fix it.</param>
/// <param name="IsError">True when browsers ignore the header (or the part) because of it; false for advice.</param>
public sealed record HeaderDiagnostic(string Code, string Message, string? Fix = null, bool IsError = true);

/// <summary>The result of parsing a header value: the model (when browsers would accept it) and every problem found.</summary>
/// <typeparam name="T">The value model.</typeparam>
/// <param name="Value">The model; <see langword="null"/> when browsers would ignore the whole header.</param>
/// <param name="Diagnostics">The problems, errors and advice.</param>
public sealed record HeaderParseResult<T>(T? Value, ImmutableArray<HeaderDiagnostic> Diagnostics)
    where T : class
{
    /// <summary>True when at least one diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(static d => d.IsError);

    internal static HeaderParseResult<T> Invalid(string code, string message, string? fix = null) =>
        new(null, [new HeaderDiagnostic(code, message, fix)]);
}

/// <summary>Turns a configured header value into the exact value to send, through the header's own parser.</summary>
internal static class HeaderCompiler
{
    /// <summary>
    /// Validates a configured value with the header's parser and returns its canonical form, or <see langword="null"/>
    /// when the header is switched off (<see langword="null"/> or empty). Every diagnostic becomes a problem at
    /// <paramref name="path"/>; errors stop startup.
    /// </summary>
    public static string? Compile<T>(string? configured, string path, ConfigurationProblems problems, Func<string, HeaderParseResult<T>> parse, Func<T, string> format)
        where T : class
    {
        if (string.IsNullOrEmpty(configured))
        {
            return null;
        }

        if (!Internal.HttpTokens.IsSafeFieldValue(configured))
        {
            problems.Error(path, $"\"{Printable(configured)}\" contains line breaks, control or non-ASCII characters, or leading/trailing spaces; it cannot be sent as a header.",
                "Write the value on one line in plain ASCII.");
            return null;
        }

        var result = parse(configured);
        Report(result.Diagnostics, path, problems);
        return result.Value is null || result.HasErrors ? null : format(result.Value);
    }

    /// <summary>Copies header diagnostics into configuration problems.</summary>
    public static void Report(IEnumerable<HeaderDiagnostic> diagnostics, string path, ConfigurationProblems problems)
    {
        foreach (var diagnostic in diagnostics)
        {
            problems.Add(new ConfigurationProblem(path, diagnostic.Message, diagnostic.Fix, diagnostic.IsError ? ProblemSeverity.Error : ProblemSeverity.Warning));
        }
    }

    /// <summary>Shows control characters as escapes so that an error message never carries a raw line break.</summary>
    public static string Printable(string value) => Internal.Printable.Escape(value);
}
