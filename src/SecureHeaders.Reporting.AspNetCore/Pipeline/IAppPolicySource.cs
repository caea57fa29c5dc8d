namespace SecureHeaders.Reporting.AspNetCore.Pipeline;

/// <summary>The running app's own compiled policies: the base of every suggestion and the list of names a report may claim.</summary>
internal interface IAppPolicySource
{
    /// <summary>True once the app has compiled its policies (the host has started).</summary>
    bool IsReady { get; }

    /// <summary>Every CSP the app sends, with <c>'nonce'</c> placeholders, and the hashes of its manifest.</summary>
    AppPolicySnapshot Current();

    /// <summary>True when <paramref name="name"/> is one of the app's policies.</summary>
    bool Knows(string name);
}
