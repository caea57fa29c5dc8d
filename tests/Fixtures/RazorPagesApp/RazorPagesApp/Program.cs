using Scalar.AspNetCore;
using SecureHeaders.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSecureHeaders();

// Add services to the container.
builder.Services.AddRazorPages();

// API tooling on their own paths: Swagger UI (/swagger), ReDoc (/api-docs), Scalar (/scalar).
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen();

var app = builder.Build();
app.UseSecureHeaders();

// Configure the HTTP request pipeline.
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    // The default HSTS value is 30 days. You may want to change this for production scenarios, see https://aka.ms/aspnetcore-hsts.
    app.UseHsts();
}

app.UseHttpsRedirection();

app.UseSwagger();
app.UseSwaggerUI();
app.UseReDoc(options =>
{
    options.RoutePrefix = "api-docs";
    options.ConfigObject.AdditionalItems["disableTelemetry"] = true; // ReDoc 3 reports usage to Redocly otherwise
    options.HeadContent = SecureHeadersApiDocs.NoEvalScript;         // ReDoc's search index would probe eval
});

app.UseRouting();

app.UseAuthorization();

app.MapStaticAssets();
app.MapRazorPages()
   .WithStaticAssets();

app.MapGet("/api/forecast", () => new[] { new Forecast(DateOnly.FromDateTime(DateTime.UtcNow), 21, "Mild") })
   .WithName("GetForecast");
app.MapScalarApiReference((options, context) => options
   .WithOpenApiRoutePattern("/swagger/{documentName}/swagger.json")
   .WithNonce(context.GetCspNonce())                   // Scalar's inline start-up module takes the response's nonce
   .AddHeadContent(SecureHeadersApiDocs.NoEvalScript)); // its schema library would probe eval

// Only for the browser tests: a collector for the report-uri they configure, and a page that reflects markup.
if (app.Configuration["Fixture:TestEndpoints"] == "true")
{
    RazorPagesApp.TestEndpoints.Map(app);
}

app.Run();

internal sealed record Forecast(DateOnly Date, int TemperatureC, string Summary);
