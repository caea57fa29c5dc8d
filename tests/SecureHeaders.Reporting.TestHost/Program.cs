using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// The collector as an app hosts it, on a free loopback port. Settings come from the command line, for example
//   --SecureHeaders:Reporting:SqlitePath=/tmp/r.db --SecureHeaders:Reporting:FlushInterval=00:00:00.500
// Once listening it prints "LISTENING <address>" so that the test knows where to send reports.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Services.AddSecureHeadersReporting(o =>
{
    o.Dashboard.AllowAnonymous = true;
    o.RateLimit.Enabled = false;
});
var app = builder.Build();
app.MapSecureHeadersReporting();
app.Lifetime.ApplicationStarted.Register(() =>
{
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    Console.WriteLine("LISTENING " + address);
});
app.Lifetime.ApplicationStopped.Register(() => Console.WriteLine("STOPPED"));
app.Run();
