using System.Collections.Concurrent;
using System.Text.Json;
using Gateway.Core.Jobs;
using Gateway.Core.Storage.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Storage.Conformance;

/// <summary>
/// One process's job runtime, as a host composes it (<c>AddJobHandler&lt;T&gt;(kind)</c> over a job store),
/// started and stopped the way a host starts and stops its hosted services. Its one handler runs
/// <see cref="JobScript.Run"/> and counts every run per job id.
/// </summary>
public sealed class JobWorkerHost : IAsyncDisposable
{
    /// <summary>The kind the host's handler runs.</summary>
    public const string Kind = "test.job";

    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;
    private bool _stopped;

    private JobWorkerHost(ServiceProvider services)
    {
        _services = services;
        _hosted = [.. services.GetServices<IHostedService>()];
        Queue = services.GetRequiredService<JobQueue>();
    }

    /// <summary>The host's queue.</summary>
    public JobQueue Queue { get; }

    /// <summary>Starts a host over <paramref name="store"/> with short intervals (lease 2 s, heartbeat 100 ms, poll 200 ms) unless <paramref name="configure"/> changes them.</summary>
    public static async Task<JobWorkerHost> StartAsync(IJobStore store, JobScript script, Action<JobWorkerOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(store);
        services.AddSingleton(script);
        new JobsOnlyBuilder(services).AddJobHandler<ScriptedJobHandler>(Kind);
        services.Configure<JobWorkerOptions>(options =>
        {
            options.LeaseDuration = TimeSpan.FromSeconds(2);
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            options.PollInterval = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(options);
        });
        var host = new JobWorkerHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        foreach (var hosted in host._hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return host;
    }

    /// <summary>Stops the host gracefully, as on SIGTERM: running jobs see their token fire and are released.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (var hosted in Enumerable.Reverse(_hosted))
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }

    private sealed class JobsOnlyBuilder(IServiceCollection services) : IGatewayBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class ScriptedJobHandler(JobScript script) : IJobHandler
    {
        public Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            script.Runs.AddOrUpdate(context.Job.Id, 1, (_, runs) => runs + 1);
            return script.Run(context, cancellationToken);
        }
    }
}

/// <summary>What the test host's handler does, shared by every host of a test; and how often it ran each job.</summary>
/// <param name="Run">The handler's body.</param>
public sealed record JobScript(Func<JobContext, CancellationToken, Task<JsonElement?>> Run)
{
    /// <summary>Runs per job id, counted as each run starts.</summary>
    public ConcurrentDictionary<string, int> Runs { get; } = new(StringComparer.Ordinal);
}
