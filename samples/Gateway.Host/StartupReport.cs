using Gateway.Core.Routing;

namespace Gateway.Host;

/// <summary>What the host tells its operator at start-up: the routes it serves, or how to add one; or why it cannot start.</summary>
internal static partial class StartupReport
{
    public static void Log(WebApplication app)
    {
        var routes = app.Services.GetRequiredService<RouteTable>();
        if (routes.Routes.Count == 0)
        {
            LogNoRoutes(app.Logger);
            return;
        }

        foreach (var route in routes.Routes)
        {
            LogRoute(app.Logger, route.Key.Value, route.Provider, route.Endpoint, route.Model, routes.IsAllowed(route));
        }
    }

    /// <summary>Creates the folder of a SQLite database path (the default is <c>./data/gateway.db</c>).</summary>
    public static void EnsureDatabaseFolder(WebApplication app)
    {
        var database = DatabaseStorage.SqlitePathOf(DatabaseStorage.Read(app.Configuration) ?? DatabaseStorage.DefaultSqlitePath);
        var isConnectionString = database.Contains('=', StringComparison.Ordinal) || database.Contains("://", StringComparison.Ordinal);
        if (!isConnectionString && Path.GetDirectoryName(Path.GetFullPath(database)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }
    }

    public static void LogInvalidConfiguration(WebApplication app, IEnumerable<string> failures)
    {
        var all = failures.ToList();
        LogCannotStart(app.Logger, all.Count);
        foreach (var failure in all)
        {
            LogFailure(app.Logger, failure);
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "No model route is configured, so chat requests cannot be served yet. Add one with MODEL_ROUTE_<KEY>=<provider>|<base-url>|<model>[|env:<API_KEY_VAR>], e.g. MODEL_ROUTE_LOCAL=ollama|http://127.0.0.1:11434|llama3.2, and restart.")]
    private static partial void LogNoRoutes(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Route {Key}: {Provider} {Endpoint} model {Model} (allowed: {Allowed})")]
    private static partial void LogRoute(ILogger logger, string key, string provider, string endpoint, string model, bool allowed);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The gateway cannot start: {Count} configuration problem(s).")]
    private static partial void LogCannotStart(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "  {Failure}")]
    private static partial void LogFailure(ILogger logger, string failure);
}
