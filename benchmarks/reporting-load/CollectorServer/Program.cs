// The collector as an app would host it. Everything is configurable from the command line, for example
//   --SecureHeaders:Reporting:RateLimit:Enabled=false --SecureHeaders:Reporting:SqlitePath=/tmp/r.db
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSecureHeadersReporting(o => o.Dashboard.AllowAnonymous = true);
var app = builder.Build();
app.MapSecureHeadersReporting();
app.Run();
