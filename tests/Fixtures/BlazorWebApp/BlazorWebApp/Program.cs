using MudBlazor.Services;
using BlazorWebApp.Client.Pages;
using BlazorWebApp.Components;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSecureHeaders();

// Add services to the container.
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddInteractiveWebAssemblyComponents();
builder.Services.AddMudServices();

var app = builder.Build();
app.UseSecureHeaders();

// Configure the HTTP request pipeline.
if (app.Environment.IsDevelopment())
{
    app.UseWebAssemblyDebugging();
}
else
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    // The default HSTS value is 30 days. You may want to change this for production scenarios, see https://aka.ms/aspnetcore-hsts.
    app.UseHsts();
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseHttpsRedirection();

app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(BlazorWebApp.Client._Imports).Assembly);

// Only for the browser tests: a collector for the report-uri they configure, and a page that reflects markup.
if (app.Configuration["Fixture:TestEndpoints"] == "true")
{
    BlazorWebApp.TestEndpoints.Map(app);
}

app.Run();
