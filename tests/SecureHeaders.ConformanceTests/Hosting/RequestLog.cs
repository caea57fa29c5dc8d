using System.Collections.Concurrent;

namespace SecureHeaders.ConformanceTests.Hosting;

/// <summary>One request as the suite's server received it.</summary>
public sealed record LoggedRequest(DateTimeOffset At, string Method, bool IsHttps, string Host, string Path, string Query, string? Referer, string? Cookie, string? ContentType, string? Body)
{
    public string Scheme => IsHttps ? "https" : "http";

    public override string ToString() => $"{Method} {Scheme}://{Host}{Path}{Query}";
}

/// <summary>Every request the server saw, so checks can tell what a browser actually fetched, sent or refused to.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<LoggedRequest> _requests = new();

    public void Add(LoggedRequest request) => _requests.Enqueue(request);

    public IReadOnlyList<LoggedRequest> Matching(Func<LoggedRequest, bool> predicate) => [.. _requests.Where(predicate)];

    /// <summary>Polls until a request matches, or returns <see langword="null"/> at the deadline.</summary>
    public async Task<LoggedRequest?> WaitForAsync(Func<LoggedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var match = _requests.FirstOrDefault(predicate);
            if (match is not null || DateTime.UtcNow >= deadline)
            {
                return match;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
