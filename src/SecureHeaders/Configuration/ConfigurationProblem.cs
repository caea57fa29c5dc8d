namespace SecureHeaders.Configuration;

/// <summary>How serious a configuration problem is.</summary>
public enum ProblemSeverity
{
    /// <summary>The configuration cannot produce correct headers; the application does not start.</summary>
    Error,

    /// <summary>The headers work but something is likely a mistake; it is logged at startup.</summary>
    Warning,
}

/// <summary>One problem in the configuration, with where it is and how to fix it.</summary>
/// <param name="Path">The configuration path, e.g. <c>SecureHeaders:StrictTransportSecurity:MaxAge</c>.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Fix">How to fix it.</param>
/// <param name="Severity">Whether startup stops.</param>
public sealed record ConfigurationProblem(string Path, string Message, string? Fix = null, ProblemSeverity Severity = ProblemSeverity.Error)
{
    /// <summary>One line: path, message and fix.</summary>
    public override string ToString() => Fix is null ? $"{Path}: {Message}" : $"{Path}: {Message} Fix: {Fix}";
}

/// <summary>Collects problems while a configuration is validated, so that all of them are reported at once.</summary>
internal sealed class ConfigurationProblems
{
    private readonly List<ConfigurationProblem> _problems = [];

    /// <summary>Every problem found so far, in the order found.</summary>
    public IReadOnlyList<ConfigurationProblem> All => _problems;

    /// <summary>True when at least one problem is an error.</summary>
    public bool HasErrors => _problems.Exists(static p => p.Severity == ProblemSeverity.Error);

    /// <summary>Records an error.</summary>
    public void Error(string path, string message, string? fix = null) => _problems.Add(new(path, message, fix));

    /// <summary>Records a warning.</summary>
    public void Warning(string path, string message, string? fix = null) => _problems.Add(new(path, message, fix, ProblemSeverity.Warning));

    /// <summary>Records a problem.</summary>
    public void Add(ConfigurationProblem problem) => _problems.Add(problem);

    /// <summary>Throws <see cref="SecureHeadersConfigurationException"/> when there is at least one error.</summary>
    public void ThrowIfErrors()
    {
        if (HasErrors)
        {
            throw new SecureHeadersConfigurationException(_problems.FindAll(static p => p.Severity == ProblemSeverity.Error));
        }
    }
}

/// <summary>
/// Thrown at startup when the SecureHeaders configuration is invalid. The message lists every problem with its
/// configuration path and a fix, so one failed start shows everything to correct.
/// </summary>
public sealed class SecureHeadersConfigurationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public SecureHeadersConfigurationException(IReadOnlyList<ConfigurationProblem> problems)
        : base(Describe(problems)) => Problems = problems;

    /// <summary>Creates the exception with a message only.</summary>
    public SecureHeadersConfigurationException(string message)
        : base(message) => Problems = [new("SecureHeaders", message)];

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public SecureHeadersConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Problems = [new("SecureHeaders", message)];

    /// <summary>Creates an exception with no details (for serializers).</summary>
    public SecureHeadersConfigurationException()
        : this("The SecureHeaders configuration is invalid.")
    {
    }

    /// <summary>The problems, each with path, message and fix.</summary>
    public IReadOnlyList<ConfigurationProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ConfigurationProblem> problems)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("The SecureHeaders configuration has ")
          .Append(problems.Count)
          .Append(problems.Count == 1 ? " problem" : " problems")
          .Append("; no response is sent with invalid security headers, so the application does not start:");
        foreach (var problem in problems)
        {
            sb.AppendLine().Append("  - ").Append(problem);
        }

        return sb.ToString();
    }
}
