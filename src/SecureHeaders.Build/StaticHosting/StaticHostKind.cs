namespace SecureHeaders.Build.StaticHosting;

/// <summary>The hosts SecureHeaders.Build writes header files for.</summary>
[Flags]
internal enum StaticHostKind
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><c>secureheaders.nginx.conf</c>, next to the site folder.</summary>
    Nginx = 1,

    /// <summary><c>_headers</c> in the site folder (Netlify and Cloudflare Pages).</summary>
    Netlify = 2,

    /// <summary><c>staticwebapp.config.json</c> in the site folder (Azure Static Web Apps).</summary>
    Azure = 4,
}
