using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Switches Kestrel's <c>Server</c> header off at its source when <see cref="SecureHeadersOptions.RemoveServerHeader"/>
/// is set (middleware cannot remove it: Kestrel adds it while writing the response head). Kestrel's options are built
/// with the server, during <c>builder.Build()</c>; resolving SecureHeaders' options there would bind and create them
/// ahead of everything else on the startup path. Kestrel reads <see cref="KestrelServerOptions.AddServerHeader"/> for
/// every response, so the switch is thrown instead when the runtime has built the options — before the server starts
/// listening, whichever of the two comes first.
/// </summary>
internal sealed class KestrelServerHeader : IConfigureOptions<KestrelServerOptions>
{
    private readonly Lock _lock = new();
    private KestrelServerOptions? _kestrel;
    private bool? _remove;

    public void Configure(KestrelServerOptions options)
    {
        lock (_lock)
        {
            _kestrel = options;
            Apply();
        }
    }

    /// <summary>Called by the runtime once the application's options are built.</summary>
    public void Decide(bool remove)
    {
        lock (_lock)
        {
            _remove = remove;
            Apply();
        }
    }

    private void Apply()
    {
        if (_kestrel is not null && _remove == true)
        {
            _kestrel.AddServerHeader = false;
        }
    }
}
