namespace SecureHeaders.Reporting.Suggestions;

/// <summary>
/// Just enough CSP reading for suggestions: split a serialized policy into directive names and source tokens
/// (CSP3 §2.2.1 "Parse a serialized CSP": split on ";", then on ASCII whitespace; a repeated directive is ignored).
/// It does not validate; the core library's parser owns that.
/// </summary>
internal sealed class CspPolicyText
{
    private readonly List<(string Name, List<string> Sources)> _directives = [];

    public static CspPolicyText Parse(string policy)
    {
        var result = new CspPolicyText();
        // Several policies joined by commas: reports carry the one that was violated first; keep the first.
        var comma = policy.IndexOf(',', StringComparison.Ordinal);
        var text = comma >= 0 ? policy[..comma] : policy;
        foreach (var part in text.Split(';'))
        {
            var tokens = part.Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0)
            {
                continue;
            }

            var name = tokens[0].ToLowerInvariant();
            if (result.Find(name) is null)
            {
                result._directives.Add((name, [.. tokens[1..]]));
            }
        }

        return result;
    }

    public List<string>? Find(string name)
    {
        foreach (var (n, sources) in _directives)
        {
            if (n == name)
            {
                return sources;
            }
        }

        return null;
    }

    public void Add(string name, List<string> sources) => _directives.Add((name, sources));

    public override string ToString()
    {
        var parts = new List<string>(_directives.Count);
        foreach (var (name, sources) in _directives)
        {
            parts.Add(sources.Count == 0 ? name : name + " " + string.Join(' ', sources));
        }

        return string.Join("; ", parts);
    }
}
