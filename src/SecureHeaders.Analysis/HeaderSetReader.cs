using System.Text.Json;

namespace SecureHeaders.Analysis;

/// <summary>
/// Reads a saved header set. Accepted shapes (the same as the reference tool <c>observatory-headers.mjs</c>):
/// a JSON object <c>{"Name": "value" | ["v1", "v2"]}</c>; a JSON array of <c>[name, value]</c> pairs (or raw
/// <c>"Name: value"</c> strings); <c>{"headers": …, "body": "&lt;html&gt;…", "status": 200, "url": "https://…"}</c>;
/// or raw <c>Name: value</c> lines such as <c>curl -sD -</c> prints (status lines are skipped).
/// </summary>
public static class HeaderSetReader
{
    /// <summary>The most header bytes (names and values) a saved set may hold: what the scanner accepts from a live server.</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    /// <summary>The most body characters kept (the rest is dropped), as the scanner reads at most 2 MiB of a page.</summary>
    public const int MaxBodyChars = 2 * 1024 * 1024;

    /// <summary>The largest file <see cref="ReadAsync"/> reads.</summary>
    public const long MaxFileBytes = 8L * 1024 * 1024;

    /// <summary>Parses the text; throws <see cref="FormatException"/> with a clear message when it fits no shape or is too large.</summary>
    public static HeaderSet Parse(string text)
    {
        var set = ParseUnbounded(text);
        long bytes = 0;
        foreach (var header in set.Headers)
        {
            bytes += header.Name.Length + header.Value.Length + 4;
        }

        if (bytes > MaxHeaderBytes)
        {
            throw new FormatException($"The header lines add up to {bytes / 1024} KiB; a live response may have at most {MaxHeaderBytes / 1024} KiB, so this cannot be what a server sent.");
        }

        return set.Body is { Length: > MaxBodyChars } body ? new HeaderSet(set.Headers) { StatusCode = set.StatusCode, Url = set.Url, Body = body[..MaxBodyChars] } : set;
    }

    private static HeaderSet ParseUnbounded(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimStart('\uFEFF');
        if (trimmed.Length == 0)
        {
            return new HeaderSet(Array.Empty<HttpHeader>());
        }

        if (trimmed[0] is '{' or '[')
        {
            JsonDocument? document = null;
            try
            {
                document = JsonDocument.Parse(trimmed, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to raw lines, which gives a precise error if it is not that either.
            }

            if (document is not null)
            {
                using (document)
                {
                    return FromJson(document.RootElement);
                }
            }
        }

        return new HeaderSet(ParseRawLines(trimmed, out var status)) { StatusCode = status ?? 200 };
    }

    /// <summary>Reads a file, or standard input when <paramref name="path"/> is <c>-</c>.</summary>
    public static async Task<HeaderSet> ReadAsync(string path, TextReader? standardInput = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        if (path == "-")
        {
            // Read at most one character more than allowed, so that an endless stdin is refused rather than buffered.
            var buffer = new char[MaxFileBytes + 1];
            var reader = standardInput ?? Console.In;
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            if (total > MaxFileBytes)
            {
                throw new FormatException($"standard input holds more than {MaxFileBytes / (1024 * 1024)} MiB; a saved header set is far smaller.");
            }

            text = new string(buffer, 0, total);
        }
        else
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw new FormatException($"the file is larger than {MaxFileBytes / (1024 * 1024)} MiB; a saved header set is far smaller.");
            }

            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }

        return Parse(text);
    }

    private static HeaderSet FromJson(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return new HeaderSet(ReadHeaderArray(root));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A header set must be a JSON object, a JSON array of [name, value] pairs, or raw header lines.");
        }

        if (root.TryGetProperty("headers", out var headers) && headers.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            var status = 200;
            if (root.TryGetProperty("status", out var statusElement))
            {
                if (statusElement.ValueKind != JsonValueKind.Number || !statusElement.TryGetInt32(out status) || status is < 100 or > 999)
                {
                    throw new FormatException("\"status\" must be an HTTP status code such as 200.");
                }
            }

            string? body = null;
            if (root.TryGetProperty("body", out var bodyElement) && bodyElement.ValueKind == JsonValueKind.String)
            {
                body = bodyElement.GetString();
            }

            Uri? url = null;
            if (root.TryGetProperty("url", out var urlElement) && urlElement.ValueKind == JsonValueKind.String)
            {
                if (!Uri.TryCreate(urlElement.GetString(), UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    throw new FormatException("\"url\" must be an absolute http or https URL.");
                }
            }

            var lines = headers.ValueKind == JsonValueKind.Array ? ReadHeaderArray(headers) : ReadHeaderObject(headers);
            return new HeaderSet(lines) { StatusCode = status, Body = body, Url = url };
        }

        return new HeaderSet(ReadHeaderObject(root));
    }

    private static List<HttpHeader> ReadHeaderObject(JsonElement element)
    {
        var result = new List<HttpHeader>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    result.Add(new(property.Name, Scalar(item, property.Name)));
                }
            }
            else if (property.Value.ValueKind is not JsonValueKind.Null and not JsonValueKind.Undefined)
            {
                result.Add(new(property.Name, Scalar(property.Value, property.Name)));
            }
        }

        return result;
    }

    private static List<HttpHeader> ReadHeaderArray(JsonElement element)
    {
        var result = new List<HttpHeader>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                result.AddRange(ParseRawLines(item.GetString()!, out _));
            }
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() == 2)
            {
                var name = Scalar(item[0], "header name");
                result.Add(new(name, Scalar(item[1], name)));
            }
            else
            {
                throw new FormatException($"Bad header entry {item.GetRawText()}: expected [name, value] or \"Name: value\".");
            }
        }

        return result;
    }

    private static string Scalar(JsonElement element, string what) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => throw new FormatException($"The value of {what} must be a string, not {element.ValueKind.ToString().ToLowerInvariant()}."),
    };

    private static List<HttpHeader> ParseRawLines(string text, out int? status)
    {
        status = null;
        var result = new List<HttpHeader>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (line.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase))
            {
                // A status line; with curl -L there can be several, the last one describes the final response.
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 1 && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
                {
                    status = code;
                    result.Clear();
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Not a header line: \"{line}\". Expected \"Name: value\".");
            }

            result.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return result;
    }
}
