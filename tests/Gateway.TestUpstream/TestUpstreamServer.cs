using Gateway.TestUpstream.Internal;

namespace Gateway.TestUpstream;

/// <summary>
/// A fake upstream model server on loopback that speaks the OpenAI chat completions and Ollama native
/// wire formats over real HTTP, with injectable delays and failures.
/// </summary>
public sealed class TestUpstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly UpstreamState _state;

    private TestUpstreamServer(WebApplication app, UpstreamState state)
    {
        _app = app;
        _state = state;
        BaseAddress = new Uri(app.Urls.Single());
        OpenAIBaseAddress = new Uri(BaseAddress, "v1");
    }

    /// <summary>The server's root address, e.g. <c>http://127.0.0.1:41234/</c>; Ollama clients use it as is.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The base address OpenAI clients expect: <see cref="BaseAddress"/> followed by <c>v1</c>.</summary>
    public Uri OpenAIBaseAddress { get; }

    /// <summary>What chat requests are answered with; assigning it restarts the <see cref="UpstreamBehavior.FailTimes"/> count.</summary>
    public UpstreamBehavior Behavior
    {
        get => _state.ActiveBehavior.Behavior;
        set => _state.ActiveBehavior = new ActiveBehavior(value);
    }

    /// <summary>
    /// The models the catalogue endpoints describe (<c>/v1/models</c>, <c>/api/tags</c>, <c>/api/show</c>);
    /// one default <see cref="UpstreamModel"/> named <c>test-model</c> unless a test assigns others.
    /// Chat endpoints answer for any model name.
    /// </summary>
    public IReadOnlyList<UpstreamModel> Models
    {
        get => _state.Models;
        set => _state.Models = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>A snapshot of the catalogue requests (<c>/v1/models</c>, <c>/api/tags</c>, <c>/api/show</c>) received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> CatalogRequests => _state.CatalogRequests;

    /// <summary>A snapshot of the chat requests received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Requests;

    /// <summary>How many streamed answers saw their client go away before they finished.</summary>
    public int CancelledStreams => _state.CancelledStreams;

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<TestUpstreamServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // The fake must not pick up the host process's configuration: an appsettings.json in the
        // working folder could add Kestrel endpoints or raise log levels.
        builder.Configuration.Sources.Clear();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();

        var app = builder.Build();

        // An address set here wins over ASPNETCORE_URLS and ASPNETCORE_HTTP_PORTS, which container images set.
        app.Urls.Add("http://127.0.0.1:0");

        var state = new UpstreamState();
        MapEndpoints(app, state);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new TestUpstreamServer(app, state);
    }

    /// <summary>Forgets the chat requests received so far.</summary>
    public void ClearRequests() => _state.ClearRequests();

    /// <summary>Waits until at least one streamed answer has seen its client go away.</summary>
    /// <returns><see langword="true"/> if that happened within <paramref name="timeout"/>.</returns>
    public Task<bool> WaitForCancelledStreamAsync(TimeSpan timeout) => _state.WaitForCancelledStreamAsync(timeout);

    /// <summary>Stops the server, aborting answers still in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        // A graceful stop would wait out paced streams and long first-byte delays.
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    private static void MapEndpoints(WebApplication app, UpstreamState state)
    {
        var openAIChat = new ChatEndpoint(OpenAIWireFormat.Instance, state, TimeProvider.System);
        var ollamaChat = new ChatEndpoint(OllamaWireFormat.Instance, state, TimeProvider.System);

        app.MapPost("/v1/chat/completions", context => openAIChat.HandleAsync(context));
        var catalog = new ModelCatalog(state);
        app.MapGet("/v1/models", catalog.OpenAIModelsAsync);
        app.MapPost("/api/chat", context => ollamaChat.HandleAsync(context));
        app.MapGet("/api/tags", catalog.OllamaTagsAsync);
        app.MapPost("/api/show", catalog.OllamaShowAsync);
    }
}
