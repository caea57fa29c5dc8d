using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Showcase.Pages;

/// <summary>A deliberately vulnerable page: reflects the query string unencoded to show CSP blocking the injection.</summary>
public sealed class XssModel : PageModel
{
    /// <summary>The reflected value.</summary>
    public string Query { get; private set; } = string.Empty;

    /// <summary>Reads the query parameter.</summary>
    public void OnGet(string? q) => Query = q ?? string.Empty;
}
