using Microsoft.Extensions.Options;

namespace SecureHeaders.Reporting.AspNetCore;

/// <summary>Checks the options at startup and lists every problem at once, each with its configuration path.</summary>
internal sealed class SecureHeadersReportingOptionsValidator : IValidateOptions<SecureHeadersReportingOptions>
{
    private const string Section = SecureHeadersReportingOptions.ConfigurationSection;

    public ValidateOptionsResult Validate(string? name, SecureHeadersReportingOptions options)
    {
        var errors = new List<string>();
        CheckPath(errors, nameof(options.Path), options.Path);
        CheckPath(errors, nameof(options.ApiPath), options.ApiPath);
        CheckPath(errors, "Dashboard:Path", options.Dashboard.Path);
        if (string.IsNullOrWhiteSpace(options.EndpointName) || !IsToken(options.EndpointName))
        {
            errors.Add($"{Section}:EndpointName must be a token (letters, digits, '-', '_'), for use in Reporting-Endpoints and report-to; got '{options.EndpointName}'.");
        }

        Positive(errors, nameof(options.MaxBodyBytes), options.MaxBodyBytes);
        Positive(errors, nameof(options.MaxReportsPerRequest), options.MaxReportsPerRequest);
        Positive(errors, nameof(options.QueueCapacity), options.QueueCapacity);
        Positive(errors, nameof(options.MaxPendingViolations), options.MaxPendingViolations);
        if (options.MaxJsonDepth is < 4 or > 256)
        {
            errors.Add($"{Section}:MaxJsonDepth must be between 4 and 256 (reports nest three levels); got {options.MaxJsonDepth}.");
        }

        if (options.FlushInterval <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:FlushInterval must be positive, for example \"00:00:02\".");
        }

        if (options.RateLimit.Enabled)
        {
            Positive(errors, "RateLimit:BurstLimit", options.RateLimit.BurstLimit);
            Positive(errors, "RateLimit:RequestsPerSecond", options.RateLimit.RequestsPerSecond);
        }

        if (options.Retention.MaxAge <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:Retention:MaxAge must be positive, for example \"30.00:00:00\".");
        }

        if (options.Retention.Interval <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:Retention:Interval must be positive, for example \"01:00:00\".");
        }

        Positive(errors, "Retention:MaxViolations", options.Retention.MaxViolations);
        if (string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            errors.Add($"{Section}:SqlitePath must name a file, for example \"App_Data/secureheaders-reports.db\".");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckPath(List<string> errors, string key, string value)
    {
        if (string.IsNullOrEmpty(value) || value[0] != '/' || value.Contains('?', StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal))
        {
            errors.Add($"{Section}:{key} must be an absolute path starting with '/' and without query or fragment; got '{value}'.");
        }
    }

    private static void Positive(List<string> errors, string key, int value)
    {
        if (value <= 0)
        {
            errors.Add($"{Section}:{key} must be greater than zero; got {value}.");
        }
    }

    private static bool IsToken(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }
}
