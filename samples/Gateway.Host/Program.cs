using Gateway.Host;
using Gateway.Host.Migrations;
using Microsoft.Extensions.Options;

// `migrate list|up|down …` works on the database alone, before (and without) the web host.
if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);
// GATEWAY_DB picks the storage: a file path (or sqlite:<path>) is SQLite, Host=… or postgres://… is PostgreSQL.
// AddOnnxGeneration: MODEL_ROUTE_<KEY>=onnx|<model folder>|<name> runs an ONNX Runtime GenAI model in-process.
// AddOnnxEmbeddings: the bundled all-MiniLM-L6-v2 by default, plus every EMBEDDING_MODEL_<NAME>=<folder>.
// AddRag: collections of the user's documents, searched at /api/rag/search and by chats with rag.
// AddFileSandbox: the folders of GATEWAY_SANDBOX_ROOTS, read-only at /api/files (none by default).
var gateway = builder.Services.AddGateway().AddHttpApi().AddOpenApi().AddProblemDetails().AddDatabaseStorage(builder.Configuration).AddRedis().AddOnnxGeneration().AddOnnxEmbeddings().AddRag().AddFileSandbox();
// OTEL_EXPORTER_OTLP_ENDPOINT set: GenAI traces and metrics (and the gateway's own) exported over OTLP.
OtlpExport.AddWhenConfigured(builder, gateway);

var app = builder.Build();
try
{
    // Every package's settings are checked together, so one start lists every problem.
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    StartupReport.EnsureDatabaseFolder(app);
    LoopbackBinding.Apply(app);
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseRateLimiter();
    app.MapGateway();
    app.MapGatewayOpenApi();
    app.Lifetime.ApplicationStarted.Register(() => StartupReport.Log(app));
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    StartupReport.LogInvalidConfiguration(app, ex.Failures);
    return 1;
}
catch (AggregateException ex) when (ex.InnerExceptions.All(inner => inner is OptionsValidationException))
{
    // More than one package's options failed.
    StartupReport.LogInvalidConfiguration(app, ex.InnerExceptions.SelectMany(inner => ((OptionsValidationException)inner).Failures));
    return 1;
}
