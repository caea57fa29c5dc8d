using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace SecureHeaders.Reporting.AspNetCore.Api;

/// <summary>Reads the API's query string: <c>since</c>, <c>directive</c>, <c>type</c>, <c>disposition</c>, <c>policy</c>, <c>session</c>, <c>limit</c>, <c>order</c>.</summary>
internal static class ApiQuery
{
    public static bool TryRead(IQueryCollection query, DateTimeOffset now, out ViolationQuery result, out string? error)
    {
        result = new ViolationQuery();
        error = null;
        DateTimeOffset? since = null;
        if (query.TryGetValue("since", out var sinceText) && !TryParseSince(sinceText.ToString(), now, out since))
        {
            error = "since must be an ISO 8601 instant or a duration such as 30m, 24h or 7d";
            return false;
        }

        var limit = 100;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            error = "limit must be a positive integer";
            return false;
        }

        var order = ViolationOrder.Count;
        if (query.TryGetValue("order", out var orderText))
        {
            switch (orderText.ToString())
            {
                case "count": order = ViolationOrder.Count; break;
                case "lastSeen": order = ViolationOrder.LastSeen; break;
                default:
                    error = "order must be count or lastSeen";
                    return false;
            }
        }

        long? session = null;
        if (query.TryGetValue("session", out var sessionText))
        {
            if (!long.TryParse(sessionText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                error = "session must be a session id (0 for reports outside every session)";
                return false;
            }

            session = id;
        }

        result = new ViolationQuery
        {
            // policy= (empty) asks for unattributed reports, so presence matters, not only a value.
            Policy = query.TryGetValue("policy", out var policy) ? policy.ToString() : null,
            Session = session,
            Since = since,
            Directive = NullIfEmpty(query["directive"]),
            Type = NullIfEmpty(query["type"]),
            Disposition = NullIfEmpty(query["disposition"]),
            Limit = Math.Min(limit, ViolationQuery.MaxLimit),
            OrderBy = order,
        };
        return true;
    }

    /// <summary>An absolute instant, or a duration back from now: a number followed by <c>m</c>, <c>h</c> or <c>d</c>.</summary>
    public static bool TryParseSince(string text, DateTimeOffset now, out DateTimeOffset? since)
    {
        since = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = text[^1] switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } s)
            {
                since = now - s;
                return true;
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            since = instant;
            return true;
        }

        return false;
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value)
    {
        var s = value.ToString();
        return s.Length == 0 ? null : s;
    }
}
