using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What the job runtime does over every backend: a handler's result, progress, errors, cancel, pause and
/// resume reach the stored job; a host that stops releases its jobs to the next host; a worker whose
/// lease runs out loses its job to another worker, which resumes it from its checkpoint; two hosts
/// over one database run each of many jobs exactly once; and finished jobs past the retention are deleted. Real time with short intervals: the tests wait
/// for outcomes (generously), never for a duration.
/// </summary>
public abstract class JobWorkerConformanceTests : StoreConformanceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Handler_ReturnsAResult_JobIsCompletedWithIt()
    {
        var script = new JobScript((context, _) => Task.FromResult<JsonElement?>(JsonElement.Parse($$"""{"echo":{{context.Job.Payload}}}""")));
        await using var host = await JobWorkerHost.StartAsync(Store.Jobs, script);

        var queued = await host.Queue.EnqueueAsync(new NewJob(JobWorkerHost.Kind, JsonElement.Parse("""{"n":7}""")));
        var finished = await WaitAsync(host, queued.Id);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(7, finished.Result!.Value.GetProperty("echo").GetProperty("n").GetInt32());
        Assert.Equal(1, script.Runs[queued.Id]);
        Assert.Null(finished.LeaseOwner);
    }

    [Fact]
    public async Task ReportProgress_IsStoredOnTheJobAndAsAProgressEvent()
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new JobScript(async (context, cancellationToken) =>
        {
            context.ReportProgress(JsonElement.Parse("""{"documentsDone":1}"""));
            await stored.Task.WaitAsync(cancellationToken);
            return null;
        });
        await using var host = await JobWorkerHost.StartAsync(Store.Jobs, script);

        var queued = await host.Queue.EnqueueAsync(new NewJob(JobWorkerHost.Kind, JsonElement.Parse("{}")));
        var running = await WaitUntilAsync(queued.Id, job => job.Progress is not null);
        stored.SetResult();
        var finished = await WaitAsync(host, queued.Id);
        var events = await Store.Jobs.ReadEventsAsync(queued.Id, 0, 100);

        Assert.Equal(JobState.Running, running.State);
        Assert.Equal(1, running.Progress!.Value.GetProperty("documentsDone").GetInt32());
        Assert.Equal(JobState.Completed, finished.State);
        var progress = Assert.Single(events, e => e.Type == JobEventTypes.Progress);
        Assert.Equal(1, progress.Data.GetProperty("documentsDone").GetInt32());
        Assert.Equal(JobEventTypes.Completed, events[^1].Type);
    }

    [Fact]
    public async Task Handler_ThrowsAGatewayException_JobFailsWithItsCodeAndMessage()
    {
        var script = new JobScript((_, _) => throw GatewayException.InvalidField("files", "expected at least one file."));
        await using var host = await JobWorkerHost.StartAsync(Store.Jobs, script);

        var queued = await host.Queue.EnqueueAsync(new NewJob(JobWorkerHost.Kind, JsonElement.Parse("{}")));
        var finished = await WaitAsync(host, queued.Id);

        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal(GatewayErrorCodes.InvalidRequest, finished.Error!.ErrorCode);
        Assert.Contains("expected at least one file.", finished.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_ThrowsAnotherException_JobFailsWithJobFailedAndAGenericDetail()
    {
        var script = new JobScript((_, _) => throw new InvalidOperationException("secret connection string in a bug"));
        await using var host = await JobWorkerHost.StartAsync(Store.Jobs, script);

        var queued = await host.Queue.EnqueueAsync(new NewJob(JobWorkerHost.Kind, JsonElement.Parse("{}")));
        var finished = await WaitAsync(host, queued.Id);

        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal(GatewayErrorCodes.JobFailed, finished.Error!.ErrorCode);
        Assert.DoesNotContain("secret", finished.Error.Detail, StringComparison.Ordinal);
        Assert.Equal(1, script.Runs[queued.Id]);
    }

    [Fact]
    public async Task Cancel_MidRun_FiresTheHandlersTokenAndTheJobIsCancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenFired = false;
        var script = new JobScript(async (_, cancellationToken) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                tokenFired = true;
                throw;
            }

            return null;
        });
        await using var host = await JobWorkerHost.StartAsync(Store.Jobs, script);

        var queued = await host.Queue.EnqueueAsync(new NewJob(JobWorkerHost.Kind, JsonElement.Parse("{}")));
        await started.Task.WaitAsync(Patience);
        await Store.Jobs.RequestCancelAsync(queued.Id);
        var finished = await WaitAsync(host, queued.Id);

        Assert.Equal(JobState.Cancelled, finished.State);
        Assert.True(tokenFired);
        Assert.Equal(JobEventTypes.Cancelled, (await Store.Jobs.ReadEventsAsync(queued.Id, 0, 100))[^1].Type);
    }

    [Fact]
    public async Task Pause_MidRunWithACheckpoint_ThenResume_TheNextRunStartsFromTheCheckpointAndCompletes()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await JobWorkerHost.StartAsync(Store.Jobs, ResumableScript(started));

        var queued = await host.Queue.EnqueueAsync(new NewJob(JobWorkerHost.Kind, JsonElement.Parse("{}")));
        await started.Task.WaitAsync(Patience);
        await Store.Jobs.RequestPauseAsync(queued.Id);
        var paused = await WaitAsync(host, queued.Id);
        await Store.Jobs.ResumeAsync(queued.Id);
        var finished = await WaitUntilAsync(queued.Id, job => job.IsFinished);

        Assert.Equal(JobState.Paused, paused.State);
        Assert.Equal(1, paused.Checkpoint!.Value.GetProperty("step").GetInt32());
        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(1, finished.Result!.Value.GetProperty("resumedFrom").GetInt32());
    }

    [Fact]
    public async Task HostStops_MidJob_TheJobIsReleasedAndTheNextHostCompletesItFromItsCheckpoint()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = ResumableScript(started);
        string jobId;
        Job released;
        await using (var first = await JobWorkerHost.StartAsync(Store.Jobs, script))
        {
            jobId = (await first.Queue.EnqueueAsync(new NewJob(JobWorkerHost.Kind, JsonElement.Parse("{}")))).Id;
            await started.Task.WaitAsync(Patience);
            await first.StopAsync();
            released = (await Store.Jobs.GetAsync(jobId))!;
        }

        await using var second = await JobWorkerHost.StartAsync(Store.Jobs, script);
        var finished = await WaitAsync(second, jobId);

        Assert.Equal(JobState.Queued, released.State);
        Assert.Equal(0, released.Attempts);
        Assert.Null(released.LeaseOwner);
        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(1, finished.Result!.Value.GetProperty("resumedFrom").GetInt32());
        Assert.Equal(2, script.Runs[jobId]);
    }

    [Fact]
    public async Task WorkerWhoseLeaseRunsOut_LosesTheJobToAnotherWorker_WhichCompletesItFromTheCheckpoint()
    {
        // The first worker's store runs on a clock stuck in the past: every lease it takes or renews has already
        // run out for everyone else, as a hung worker's would. It goes on heartbeating and learns it lost the job.
        var stuck = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromHours(1));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstTokenFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new JobScript(async (context, cancellationToken) =>
        {
            if (context.Job.Checkpoint is { } checkpoint)
            {
                return JsonElement.Parse($$"""{"resumedFrom":{{checkpoint.GetProperty("step").GetInt32()}},"attempt":{{context.Job.Attempts}}}""");
            }

            await context.SaveCheckpointAsync(JsonElement.Parse("""{"step":1}"""), cancellationToken);
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                firstTokenFired.SetResult();
                throw;
            }

            return null;
        });
        await using var hung = await JobWorkerHost.StartAsync(Store.OpenJobStore(stuck), script);
        var jobId = (await hung.Queue.EnqueueAsync(new NewJob(JobWorkerHost.Kind, JsonElement.Parse("{}")))).Id;
        await started.Task.WaitAsync(Patience);

        await using var healthy = await JobWorkerHost.StartAsync(Store.Jobs, script);
        var finished = await WaitUntilAsync(jobId, job => job.IsFinished);
        await firstTokenFired.Task.WaitAsync(Patience);
        await hung.StopAsync();
        var events = await Store.Jobs.ReadEventsAsync(jobId, 0, 100);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(1, finished.Result!.Value.GetProperty("resumedFrom").GetInt32());
        Assert.Equal(2, finished.Result.Value.GetProperty("attempt").GetInt32());
        Assert.Equal(2, script.Runs[jobId]);
        var takeover = Assert.Single(events, e => e.Type == JobEventTypes.Started && e.Data.GetProperty("takeover").GetBoolean());
        Assert.Equal(2, takeover.Data.GetProperty("attempt").GetInt32());
        Assert.Equal(JobState.Completed, (await Store.Jobs.GetAsync(jobId))!.State);
    }

    [Fact]
    public async Task TwoHostsOverOneDatabase_ManyJobs_EachRunsExactlyOnce()
    {
        var script = new JobScript(async (context, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            return JsonElement.Parse($$"""{"ran":"{{context.Job.Id}}"}""");
        });
        await using var secondClient = await Store.OpenSecondClientAsync();
        await using var first = await JobWorkerHost.StartAsync(Store.Jobs, script, options => options.Concurrency = 3);
        await using var second = await JobWorkerHost.StartAsync(secondClient.Jobs, script, options => options.Concurrency = 3);

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var queue = i % 2 == 0 ? first.Queue : second.Queue;
            ids.Add((await queue.EnqueueAsync(new NewJob(JobWorkerHost.Kind, JsonElement.Parse($$"""{"i":{{i}}}""")))).Id);
        }

        var finished = await Task.WhenAll(ids.Select(id => WaitAsync(first, id)));

        Assert.All(finished, job => Assert.Equal(JobState.Completed, job.State));
        Assert.All(finished, job => Assert.Equal(job.Id, job.Result!.Value.GetProperty("ran").GetString()));
        Assert.Equal(ids.Order(StringComparer.Ordinal), script.Runs.Keys.Order(StringComparer.Ordinal));
        Assert.All(script.Runs.Values, runs => Assert.Equal(1, runs));
    }

    [Fact]
    public async Task Retention_FinishedJobsOlderThanIt_AreDeletedByTheWorkerAndWaitingOnesKept()
    {
        var finished = await Store.Jobs.RequestCancelAsync((await Store.Jobs.EnqueueAsync(new NewJob("test.other", JsonElement.Parse("{}")))).Id);
        var waiting = await Store.Jobs.RequestPauseAsync((await Store.Jobs.EnqueueAsync(new NewJob("test.other", JsonElement.Parse("{}")))).Id);
        var retention = TimeSpan.FromMilliseconds(1);
        while (DateTimeOffset.UtcNow <= finished.FinishedAt!.Value + retention)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }

        await using var host = await JobWorkerHost.StartAsync(Store.Jobs, new JobScript((_, _) => Task.FromResult<JsonElement?>(null)), options => options.Retention = retention);
        await WaitUntilGoneAsync(finished.Id);

        Assert.Empty(await Store.Jobs.ReadEventsAsync(finished.Id, 0, 100));
        Assert.Equal(JobState.Paused, (await Store.Jobs.GetAsync(waiting.Id))!.State);
    }

    // First run: saves checkpoint {"step":1}, says it started, and waits for its token. A run with a checkpoint completes with where it resumed from.
    private static JobScript ResumableScript(TaskCompletionSource started) => new(async (context, cancellationToken) =>
    {
        if (context.Job.Checkpoint is { } checkpoint)
        {
            return JsonElement.Parse($$"""{"resumedFrom":{{checkpoint.GetProperty("step").GetInt32()}}}""");
        }

        await context.SaveCheckpointAsync(JsonElement.Parse("""{"step":1}"""), cancellationToken);
        started.TrySetResult();
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return null;
    });

    private static async Task<Job> WaitAsync(JobWorkerHost host, string jobId)
    {
        using var patience = new CancellationTokenSource(Patience);
        return await host.Queue.WaitAsync(jobId, patience.Token);
    }

    private async Task WaitUntilGoneAsync(string jobId)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (await Store.Jobs.GetAsync(jobId, patience.Token) is not null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), patience.Token);
        }
    }

    private async Task<Job> WaitUntilAsync(string jobId, Func<Job, bool> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            var job = (await Store.Jobs.GetAsync(jobId, patience.Token))!;
            if (condition(job))
            {
                return job;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), patience.Token);
        }
    }
}
