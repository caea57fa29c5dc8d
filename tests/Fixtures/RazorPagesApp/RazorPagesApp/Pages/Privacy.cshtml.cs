using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace RazorPagesApp.Pages;

public class PrivacyModel : PageModel
{
    public void OnGet()
    {
    }
}

