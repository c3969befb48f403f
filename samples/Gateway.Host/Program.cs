using Gateway.Host;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGateway().AddProblemDetails().AddRedis();

var app = builder.Build();
try
{
    StartupReport.EnsureDatabaseFolder(app);
    LoopbackBinding.Apply(app);
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.MapGateway();
    app.Lifetime.ApplicationStarted.Register(() => StartupReport.Log(app));
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    StartupReport.LogInvalidConfiguration(app, ex);
    return 1;
}
