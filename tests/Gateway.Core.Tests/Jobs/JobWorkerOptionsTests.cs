using System.Text.Json;
using Gateway.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Jobs;

public sealed class JobWorkerOptionsTests
{
    [Fact]
    public void Options_NothingSet_AreTheDocumentedDefaults()
    {
        using var services = Build();

        var options = services.GetRequiredService<IOptions<JobWorkerOptions>>().Value;

        Assert.Equal(
            (2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            (options.Concurrency, options.LeaseDuration, options.HeartbeatInterval, options.PollInterval, options.Retention));
    }

    [Fact]
    public void Options_BothForms_AreReadAndTheVariablesWin()
    {
        using var services = Build(
            ("GATEWAY_JOBS_CONCURRENCY", "8"),
            ("Gateway:Jobs:Concurrency", "3"),
            ("Gateway:Jobs:LeaseDuration", "00:01:00"),
            ("GATEWAY_JOBS_HEARTBEAT_INTERVAL", "00:00:05"),
            ("GATEWAY_JOBS_POLL_INTERVAL", "00:00:00.500"),
            ("GATEWAY_JOBS_RETENTION", "0"));

        var options = services.GetRequiredService<IOptions<JobWorkerOptions>>().Value;

        Assert.Equal(
            (8, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500), TimeSpan.Zero),
            (options.Concurrency, options.LeaseDuration, options.HeartbeatInterval, options.PollInterval, options.Retention));
    }

    [Fact]
    public void Options_Bad_AreEachReportedNamingTheSettingAndItsVariable()
    {
        using var services = Build(
            ("GATEWAY_JOBS_CONCURRENCY", "0"),
            ("GATEWAY_JOBS_LEASE_DURATION", "00:00:10"),
            ("GATEWAY_JOBS_HEARTBEAT_INTERVAL", "00:00:06"),
            ("GATEWAY_JOBS_POLL_INTERVAL", "1"),
            ("GATEWAY_JOBS_RETENTION", "-1.00:00:00"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<JobWorkerOptions>>().Value);

        Assert.Contains(error.Failures, f => f == "Gateway:Jobs:Concurrency (GATEWAY_JOBS_CONCURRENCY): expected a whole number from 1 to 256, got 0.");
        Assert.Contains(error.Failures, f => f.StartsWith("Gateway:Jobs:HeartbeatInterval (GATEWAY_JOBS_HEARTBEAT_INTERVAL): expected more than zero and at most half the lease (00:00:05)", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Gateway:Jobs:PollInterval (GATEWAY_JOBS_POLL_INTERVAL):", StringComparison.Ordinal) && f.Contains("1.00:00:00"));
        Assert.Contains(error.Failures, f => f.StartsWith("Gateway:Jobs:Retention (GATEWAY_JOBS_RETENTION):", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failures, f => f.Contains("LeaseDuration (", StringComparison.Ordinal));
    }

    [Fact]
    public void AddJobHandler_SameKindTwice_IsOneRegistrationOrRefusedForAnotherHandler()
    {
        var services = new ServiceCollection();
        var gateway = services.AddGateway();

        gateway.AddJobHandler<CompletingHandler>("demo").AddJobHandler<CompletingHandler>("demo").AddJobWorker();
        var error = Assert.Throws<InvalidOperationException>(() => gateway.AddJobHandler<OtherHandler>("demo"));

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(CompletingHandler));
        Assert.Contains("'demo'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => gateway.AddJobHandler<OtherHandler>("de\nmo"));
    }

    private static ServiceProvider Build(params (string Key, string Value)[] settings) =>
        GatewayServices.Build(services => services.AddGateway().AddJobWorker(), settings);

    private sealed class CompletingHandler : IJobHandler
    {
        public Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken) => Task.FromResult<JsonElement?>(null);
    }

    private sealed class OtherHandler : IJobHandler
    {
        public Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken) => Task.FromResult<JsonElement?>(null);
    }
}
