namespace SecureHeaders.AspNetCore;

/// <summary>
/// What API documentation UIs need from the page to run under SecureHeaders' policies without <c>'unsafe-eval'</c>;
/// use with the <c>SwaggerUi</c>, <c>ReDoc</c> and <c>Scalar</c> presets of <see cref="Csp.CspPresets"/>.
/// </summary>
public static class SecureHeadersApiDocs
{
    /// <summary>
    /// The path of a script this package serves as a static web asset (<c>MapStaticAssets</c> or
    /// <c>UseStaticFiles</c>): loaded before ReDoc or Scalar, it makes their libraries take the code path that needs
    /// no <c>eval</c> without probing for it first (the probe is blocked and reported as a violation). It changes
    /// nothing else: Scalar's schema library (zod) validates without compiled validators, ReDoc's search index is
    /// built on the page instead of in a worker.
    /// </summary>
    public const string NoEvalScriptPath = "/_content/SecureHeaders.AspNetCore/api-docs-no-eval.js";

    /// <summary>
    /// The tag loading <see cref="NoEvalScriptPath"/>, for <c>ReDocOptions.HeadContent</c> and Scalar's
    /// <c>AddHeadContent</c>. Under a nonce policy the tag gets the response's nonce (<c>NonceStaticScripts</c>), under
    /// <c>script-src 'self'</c> it needs none. Apps under a path base prefix it with that base.
    /// </summary>
    public const string NoEvalScript = "<script src=\"" + NoEvalScriptPath + "\"></script>";
}
