using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Relational;

/// <summary>The skeleton every <c>AddXxxStorage()</c> shares: idempotent, <c>TryAdd</c> only, options validated at start-up.</summary>
internal static class StorageRegistration
{
    /// <summary>
    /// Adds <typeparamref name="TOptions"/> with <paramref name="configure"/> (on every call, in call order);
    /// the first call also adds <typeparamref name="TValidator"/> with <c>ValidateOnStart</c> and
    /// <see cref="TimeProvider.System"/> unless the app registered a clock, and returns
    /// <see langword="true"/>: the caller then registers its database and stores. Later calls return <see langword="false"/>.
    /// </summary>
    public static bool TryAddStorage<TOptions, TValidator>(IServiceCollection services, Action<TOptions>? configure)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var options = services.AddOptions<TOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(descriptor => descriptor.ServiceType == typeof(StorageMarker<TOptions>)))
        {
            return false;
        }

        services.AddSingleton<StorageMarker<TOptions>>();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return true;
    }

    /// <summary>Adds <typeparamref name="TService"/> made by <paramref name="create"/> from the database and the clock, unless the app registered one.</summary>
    public static void TryAddStore<TService, TDatabase>(IServiceCollection services, Func<TDatabase, TimeProvider, TService> create)
        where TService : class
        where TDatabase : notnull =>
        services.TryAddSingleton(sp => create(sp.GetRequiredService<TDatabase>(), sp.GetRequiredService<TimeProvider>()));

    /// <summary>Says that the storage configured by <typeparamref name="TOptions"/> was added.</summary>
    private sealed class StorageMarker<TOptions>;
}
