// The README's two lines in a Native AOT app: the slim builder, plus Kestrel's HTTPS configuration so that the
// published binary can serve HTTPS (and so HSTS) with a certificate from configuration.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseKestrelHttpsConfiguration();
builder.Services.AddSecureHeaders();

var app = builder.Build();
app.UseSecureHeaders();
app.MapGet("/", () => Results.Content("<!doctype html><title>AOT</title><p>Hello from Native AOT</p>", "text/html"));
app.Run();
