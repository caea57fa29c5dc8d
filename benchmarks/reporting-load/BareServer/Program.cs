// The baseline the collector is measured against: the same Kestrel, the same route, no work beyond reading the body.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.MapPost("/_secureheaders/reports", async (HttpContext context) =>
{
    var reader = context.Request.BodyReader;
    while (true)
    {
        var result = await reader.ReadAsync(context.RequestAborted);
        reader.AdvanceTo(result.Buffer.End);
        if (result.IsCompleted)
        {
            break;
        }
    }

    context.Response.StatusCode = StatusCodes.Status204NoContent;
});
app.Run();
