namespace SecureHeaders.Reporting.AspNetCore;

/// <summary>
/// Per-client token bucket on the report endpoint. Clients are keyed by IP address (IPv6 by its /64 prefix, so a
/// client cannot escape the limit by rotating addresses inside its own network). Put the forwarded-headers middleware
/// first when the app runs behind a proxy, or every client shares the proxy's bucket.
/// </summary>
public sealed class ReportingRateLimitOptions
{
    /// <summary>Whether the limit applies. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Largest burst of requests a client may send at once. Default 60.</summary>
    public int BurstLimit { get; set; } = 60;

    /// <summary>Requests per second a client may sustain. Default 10.</summary>
    public int RequestsPerSecond { get; set; } = 10;
}
