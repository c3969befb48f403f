using System.Diagnostics.Metrics;
using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Internal;
using Gateway.Core.Metrics;
using Gateway.Core.Storage.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the durable job runtime: the <see cref="JobQueue"/> endpoints call and the worker that runs each job kind's <see cref="IJobHandler"/>.</summary>
public static class GatewayJobsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="JobWorkerOptions"/> (section <c>Gateway:Jobs</c> and the <c>GATEWAY_JOBS_*</c> variables,
    /// validated at start-up), the <see cref="JobQueue"/> and the job worker, a hosted service that runs the jobs of
    /// every kind registered with <see cref="AddJobHandler{THandler}"/> from the registered <see cref="IJobStore"/>
    /// (<c>AddSqliteStorage()</c> or <c>AddPostgresStorage()</c>). Safe to call more than once.
    /// </summary>
    public static IGatewayBuilder AddJobWorker(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(JobSignals)))
        {
            return builder;
        }

        builder.MapEnvironmentVariables(JobEnvironmentVariables.Map);
        services.AddOptions<JobWorkerOptions>().BindGatewayConfiguration(JobWorkerOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobWorkerOptions>, JobWorkerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new GatewayMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton<JobSignals>();
        services.TryAddSingleton(sp => new JobQueue(
            RequireStore(sp), sp.GetRequiredService<JobSignals>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<JobWorkerOptions>>()));
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<JobRunner>(sp, RequireStore(sp)));
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<JobWorker>(sp, RequireStore(sp)));
        return builder;
    }

    /// <summary>
    /// Runs jobs of <paramref name="kind"/> on <typeparamref name="THandler"/>, resolved in a new scope for every claim
    /// (registered scoped unless the app registered it already), and adds the worker (<see cref="AddJobWorker"/>).
    /// Registering the same handler for the same kind again does nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a valid job kind.</exception>
    /// <exception cref="InvalidOperationException">Another handler already runs <paramref name="kind"/>.</exception>
    public static IGatewayBuilder AddJobHandler<THandler>(this IGatewayBuilder builder, string kind)
        where THandler : class, IJobHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        if (kind.Length > JobRules.MaxNameLength || kind.Any(char.IsControl))
        {
            throw new ArgumentException($"A job kind is 1 to {JobRules.MaxNameLength} characters with no control characters, got '{kind}'.", nameof(kind));
        }

        builder.AddJobWorker();
        var services = builder.Services;
        var existing = services.Select(descriptor => descriptor.ImplementationInstance).OfType<JobHandlerRegistration>()
            .FirstOrDefault(registration => registration.Kind == kind);
        if (existing is not null)
        {
            return existing.HandlerType == typeof(THandler)
                ? builder
                : throw new InvalidOperationException(
                    $"Job kind '{kind}' already runs on {existing.HandlerType.FullName}; it cannot also run on {typeof(THandler).FullName}: one handler per kind.");
        }

        services.AddSingleton(new JobHandlerRegistration(kind, typeof(THandler)));
        services.TryAddScoped<THandler>();
        return builder;
    }

    private static IJobStore RequireStore(IServiceProvider services) => services.GetService<IJobStore>()
        ?? throw new InvalidOperationException(
            "The job worker needs a job store: register storage with AddSqliteStorage() or AddPostgresStorage() on the gateway builder.");
}
