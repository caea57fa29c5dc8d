namespace SecureHeaders.Testing;

/// <summary>
/// Thrown when responses do not meet the expected security headers. The message lists every failing route with
/// what failed, so any test framework shows the whole picture in one run.
/// </summary>
public sealed class SecureHeadersAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecureHeadersAssertionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SecureHeadersAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SecureHeadersAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from the failures per route.</summary>
    public SecureHeadersAssertionException(IReadOnlyDictionary<string, IReadOnlyList<string>> failures)
        : base(Describe(failures)) => Failures = failures;

    /// <summary>The failures: route → the reasons it failed.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Failures { get; } = new Dictionary<string, IReadOnlyList<string>>();

    private static string Describe(IReadOnlyDictionary<string, IReadOnlyList<string>> failures)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("Security headers check failed on ").Append(failures.Count).Append(failures.Count == 1 ? " route:" : " routes:").AppendLine();
        foreach (var (route, reasons) in failures)
        {
            sb.Append("  ").AppendLine(route);
            foreach (var reason in reasons)
            {
                sb.Append("    - ").AppendLine(reason);
            }
        }

        return sb.ToString();
    }
}
