using Gateway.Rag.Sandbox;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the read-only file-system sandbox to the gateway.</summary>
public static class GatewayFileSandboxBuilderExtensions
{
    /// <summary>
    /// Registers the <see cref="FileSandbox"/> (read-only listing, reading and globbed enumeration of the folders
    /// named in <c>GATEWAY_SANDBOX_ROOTS</c>) and <see cref="SandboxOptions"/> (the <c>Gateway:Sandbox</c> section
    /// and the <c>GATEWAY_SANDBOX_*</c> variables, validated at start-up: a root that is no existing absolute
    /// folder, a bad or repeated name stops it). With it <c>MapGateway()</c> maps <c>/api/files/**</c>. It is
    /// not part of <c>AddRag()</c>: serving files from disk is the host's explicit choice. Safe to call more
    /// than once, in any order.
    /// </summary>
    public static IGatewayBuilder AddFileSandbox(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(FileSandbox)))
        {
            return builder;
        }

        builder.MapEnvironmentVariables(SandboxEnvironmentVariables.Map);
        services.AddOptions<SandboxOptions>().BindGatewayConfiguration(SandboxOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>());
        services.TryAddSingleton<FileSandbox>();
        return builder;
    }
}
