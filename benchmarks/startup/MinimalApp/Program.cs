// The minimal app of the startup measurement. MinimalApp compiles it as is; MinimalAppSecureHeaders compiles the same
// file with SECUREHEADERS defined, which adds the two lines the README asks of an application, and nothing else.
var builder = WebApplication.CreateBuilder(args);
#if SECUREHEADERS
builder.Services.AddSecureHeaders();
#endif
var app = builder.Build();
#if SECUREHEADERS
app.UseSecureHeaders();
#endif
app.MapGet("/", () => "Hello");
app.Run();
