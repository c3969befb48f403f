using System.Collections.Concurrent;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IJobStore"/> must do: jobs round-trip and page newest first; a claim takes the
/// oldest claimable job of the kinds asked, once, even with two clients racing; an expired lease is taken
/// over with the next attempt and a new fencing token, or the job is abandoned when its attempts are used
/// up; a stale lease writes nothing; cancel, pause and resume do what each state allows; and every change
/// appends its event, in order, readable from another client. The clock is a fake one shared by every
/// client of a test, so leases expire when the test says.
/// </summary>
public abstract class JobStoreConformanceTests : StoreConformanceTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private IJobStore? _jobs;

    private IJobStore Jobs => _jobs ??= Store.OpenJobStore(_time);

    [Fact]
    public async Task Enqueue_ThenGet_ReadsBackQueuedWithItsPayloadAndAQueuedEvent()
    {
        var payload = JsonElement.Parse("""{"collectionId":"c1","files":["a.md","b.pdf"],"nested":{"n":1.5,"ok":true,"nul":"\u0000"}}""");

        var queued = await Jobs.EnqueueAsync(new NewJob("ingestion", payload, MaxAttempts: 5));
        var read = await Jobs.GetAsync(queued.Id);

        Assert.True(SortableId.IsWellFormed(queued.Id));
        Assert.Equal("ingestion", queued.Kind);
        Assert.Equal(JobState.Queued, queued.State);
        Assert.True(JsonElement.DeepEquals(payload, queued.Payload));
        Assert.Null(queued.Progress);
        Assert.Null(queued.Checkpoint);
        Assert.Null(queued.Result);
        Assert.Null(queued.Error);
        Assert.Equal(0, queued.Attempts);
        Assert.Equal(5, queued.MaxAttempts);
        Assert.False(queued.CancelRequested || queued.PauseRequested || queued.IsFinished);
        Assert.Null(queued.LeaseOwner);
        Assert.Null(queued.LeaseExpiresAt);
        Assert.Equal(_time.GetUtcNow(), queued.CreatedAt);
        Assert.Equal(queued.CreatedAt, queued.UpdatedAt);
        Assert.Null(queued.StartedAt);
        Assert.Null(queued.FinishedAt);
        AssertSameJob(queued, read!);
        var queuedEvent = Assert.Single(await Jobs.ReadEventsAsync(queued.Id, 0, 10));
        Assert.Equal((queued.Id, 1L, JobEventTypes.Queued, queued.CreatedAt), (queuedEvent.JobId, queuedEvent.Sequence, queuedEvent.Type, queuedEvent.At));
    }

    [Fact]
    public async Task Enqueue_DefaultAttemptsAndAScalarPayload_AreKept()
    {
        var queued = await Jobs.EnqueueAsync(new NewJob("flow_run", JsonElement.Parse("42")));

        Assert.Equal(JobRules.DefaultMaxAttempts, queued.MaxAttempts);
        Assert.Equal(42, (await Jobs.GetAsync(queued.Id))!.Payload.GetInt32());
    }

    /// <summary>Jobs that break one rule each, and the field the error must name.</summary>
    public static TheoryData<string, string> InvalidJobs() => new()
    {
        { "empty kind", "kind" },
        { "blank kind", "kind" },
        { "long kind", "kind" },
        { "control character in kind", "kind" },
        { "no payload", "payload" },
        { "no attempts", "maxAttempts" },
        { "too many attempts", "maxAttempts" },
    };

    [Theory]
    [MemberData(nameof(InvalidJobs))]
    public async Task Enqueue_InvalidField_ThrowsInvalidRequestNamingItAndWritesNothing(string rule, string field)
    {
        var payload = JsonElement.Parse("{}");
        var job = rule switch
        {
            "empty kind" => new NewJob(string.Empty, payload),
            "blank kind" => new NewJob("   ", payload),
            "long kind" => new NewJob(new string('k', JobRules.MaxNameLength + 1), payload),
            "control character in kind" => new NewJob("in\ngestion", payload),
            "no payload" => new NewJob("ingestion", default),
            "no attempts" => new NewJob("ingestion", payload, 0),
            _ => new NewJob("ingestion", payload, JobRules.MaxAttemptsLimit + 1),
        };

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Jobs.EnqueueAsync(job));

        Assert.Equal(field, error.Extensions["field"]);
        Assert.Empty((await Jobs.ListAsync(new JobQuery())).Items);
    }

    [Fact]
    public async Task Get_UnknownOrMalformedId_ReturnsNull()
    {
        await EnqueueAsync("ingestion");

        Assert.Null(await Jobs.GetAsync(SortableId.Create(_time)));
        Assert.Null(await Jobs.GetAsync("not-an-id"));
        Assert.Null(await Jobs.GetAsync(string.Empty));
    }

    [Fact]
    public async Task List_NewestFirst_PagesWithoutGapsAndFiltersByKindAndState()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await EnqueueAsync(i % 2 == 0 ? "ingestion" : "training")).Id);
        }

        var claim = await Jobs.TryClaimAsync(["training"], "worker-1", Lease);

        var (all, sizes) = await ListAllAsync(cursor => Jobs.ListAsync(new JobQuery(Limit: 3, Cursor: cursor)));
        var (ingestion, _) = await ListAllAsync(cursor => Jobs.ListAsync(new JobQuery(Limit: 2, Cursor: cursor, Kind: "ingestion")));
        var running = await Jobs.ListAsync(new JobQuery(State: JobState.Running));
        var queuedTraining = await Jobs.ListAsync(new JobQuery(Kind: "training", State: JobState.Queued));

        Assert.Equal(Enumerable.Reverse(ids), all.Select(j => j.Id));
        Assert.Equal([3, 3, 1], sizes);
        Assert.Equal(new[] { ids[6], ids[4], ids[2], ids[0] }, ingestion.Select(j => j.Id));
        Assert.Equal([claim!.Job.Id], running.Items.Select(j => j.Id));
        Assert.Equal(ids[1], claim.Job.Id);
        Assert.Equal(new[] { ids[5], ids[3] }, queuedTraining.Items.Select(j => j.Id));
        Assert.Null(queuedTraining.NextCursor);
    }

    [Fact]
    public async Task List_CursorOfAnotherListingOrBadLimit_IsRefused()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation());
        await Store.Conversations.CreateConversationAsync(new NewConversation());
        var conversationCursor = (await Store.Conversations.ListConversationsAsync(new ConversationQuery(Limit: 1))).NextCursor!;

        await AssertErrorAsync(GatewayErrorCodes.InvalidCursor, () => Jobs.ListAsync(new JobQuery(Cursor: conversationCursor)));
        await AssertErrorAsync(GatewayErrorCodes.InvalidCursor, () => Jobs.ListAsync(new JobQuery(Cursor: conversation.Id)));
        var limit = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Jobs.ListAsync(new JobQuery(Limit: 0)));
        Assert.Equal("limit", limit.Extensions["field"]);
    }

    [Fact]
    public async Task TryClaim_TakesTheOldestQueuedJobOfTheKindsAsked_CountsTheAttemptAndGrantsALease()
    {
        var training = await EnqueueAsync("training");
        var first = await EnqueueAsync("ingestion");
        var second = await EnqueueAsync("flow_run");
        _time.Advance(TimeSpan.FromSeconds(1));

        var claim = await Jobs.TryClaimAsync(["ingestion", "flow_run"], "worker-1", Lease);
        var next = await Jobs.TryClaimAsync(["flow_run", "ingestion", "flow_run"], "worker-2", Lease);
        var none = await Jobs.TryClaimAsync(["ingestion", "flow_run"], "worker-3", Lease);

        Assert.Equal(first.Id, claim!.Job.Id);
        Assert.Equal(second.Id, next!.Job.Id);
        Assert.Null(none);
        Assert.Equal(JobState.Running, claim.Job.State);
        Assert.Equal(1, claim.Job.Attempts);
        Assert.Equal("worker-1", claim.Job.LeaseOwner);
        Assert.Equal(_time.GetUtcNow() + Lease, claim.Job.LeaseExpiresAt);
        Assert.Equal(_time.GetUtcNow(), claim.Job.StartedAt);
        Assert.Equal(new JobLease(first.Id, "worker-1", claim.Lease.Token, _time.GetUtcNow() + Lease), claim.Lease);
        AssertSameJob(claim.Job, (await Jobs.GetAsync(first.Id))!);
        Assert.Equal(JobState.Queued, (await Jobs.GetAsync(training.Id))!.State);
        var started = (await Jobs.ReadEventsAsync(first.Id, 1, 10)).Single();
        Assert.Equal(JobEventTypes.Started, started.Type);
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"attempt":1,"owner":"worker-1","takeover":false}"""), started.Data));
    }

    [Fact]
    public async Task TryClaim_OnlyLiveLeasesPausedOrFinishedJobsLeft_ReturnsNull()
    {
        var running = await EnqueueAsync("ingestion");
        var paused = await EnqueueAsync("ingestion");
        var cancelled = await EnqueueAsync("ingestion");
        await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease);
        await Jobs.RequestPauseAsync(paused.Id);
        await Jobs.RequestCancelAsync(cancelled.Id);
        _time.Advance(Lease - TimeSpan.FromMilliseconds(1));

        Assert.Null(await Jobs.TryClaimAsync(["ingestion"], "worker-2", Lease));
        Assert.Null(await Jobs.TryClaimAsync(["training"], "worker-2", Lease));
        Assert.Equal("worker-1", (await Jobs.GetAsync(running.Id))!.LeaseOwner);
    }

    /// <summary>Claims that break one rule each, and the argument the error must name.</summary>
    public static TheoryData<string, string> InvalidClaims() => new()
    {
        { "no kinds", "kinds" },
        { "blank kind", "kinds" },
        { "blank owner", "owner" },
        { "zero lease", "leaseDuration" },
        { "negative lease", "leaseDuration" },
        { "lease over a day", "leaseDuration" },
    };

    [Theory]
    [MemberData(nameof(InvalidClaims))]
    public async Task TryClaim_InvalidArgument_ThrowsInvalidRequestNamingItAndClaimsNothing(string rule, string field)
    {
        var queued = await EnqueueAsync("ingestion");
        Func<Task> claim = rule switch
        {
            "no kinds" => () => Jobs.TryClaimAsync([], "worker-1", Lease),
            "blank kind" => () => Jobs.TryClaimAsync(["ingestion", " "], "worker-1", Lease),
            "blank owner" => () => Jobs.TryClaimAsync(["ingestion"], "", Lease),
            "zero lease" => () => Jobs.TryClaimAsync(["ingestion"], "worker-1", TimeSpan.Zero),
            "negative lease" => () => Jobs.TryClaimAsync(["ingestion"], "worker-1", TimeSpan.FromSeconds(-1)),
            _ => () => Jobs.TryClaimAsync(["ingestion"], "worker-1", TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1)),
        };

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, claim);

        Assert.Equal(field, error.Extensions["field"]);
        Assert.Equal(JobState.Queued, (await Jobs.GetAsync(queued.Id))!.State);
    }

    [Fact]
    public async Task TryClaim_ExpiredLease_IsTakenOverWithTheNextAttemptANewTokenAndTheCheckpoint()
    {
        var queued = await EnqueueAsync("ingestion");
        var first = (await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease))!;
        var checkpoint = JsonElement.Parse("""{"documentsDone":3}""");
        await Jobs.SaveCheckpointAsync(first.Lease, checkpoint);
        _time.Advance(Lease + TimeSpan.FromMilliseconds(1));

        var second = await Jobs.TryClaimAsync(["ingestion"], "worker-2", Lease);

        Assert.Equal(queued.Id, second!.Job.Id);
        Assert.Equal(2, second.Job.Attempts);
        Assert.Equal("worker-2", second.Job.LeaseOwner);
        Assert.NotEqual(first.Lease.Token, second.Lease.Token);
        Assert.True(JsonElement.DeepEquals(checkpoint, second.Job.Checkpoint!.Value));
        Assert.Equal(first.Job.StartedAt, second.Job.StartedAt);
        var takeover = (await Jobs.ReadEventsAsync(queued.Id, 0, 10))[^1];
        Assert.Equal(JobEventTypes.Started, takeover.Type);
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"attempt":2,"owner":"worker-2","takeover":true}"""), takeover.Data));
    }

    [Fact]
    public async Task TryClaim_ExpiredLeaseWithNoAttemptsLeft_FailsItAbandonedAndClaimsTheNextJob()
    {
        var doomed = await Jobs.EnqueueAsync(new NewJob("ingestion", JsonElement.Parse("{}"), MaxAttempts: 2));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var next = await EnqueueAsync("ingestion");
        await Jobs.TryClaimAsync(["training", "ingestion"], "worker-1", Lease);
        _time.Advance(Lease * 2);
        var retaken = await Jobs.TryClaimAsync(["ingestion"], "worker-2", Lease);
        _time.Advance(Lease * 2);

        var claim = await Jobs.TryClaimAsync(["ingestion"], "worker-3", Lease);
        var abandoned = await Jobs.GetAsync(doomed.Id);

        Assert.Equal((doomed.Id, 2), (retaken!.Job.Id, retaken.Job.Attempts));
        Assert.Equal(next.Id, claim!.Job.Id);
        Assert.Equal(JobState.Failed, abandoned!.State);
        Assert.Equal(GatewayErrorCodes.JobAbandoned, abandoned.Error!.ErrorCode);
        Assert.Contains("worker-2", abandoned.Error.Detail, StringComparison.Ordinal);
        Assert.Equal(_time.GetUtcNow(), abandoned.FinishedAt);
        Assert.Null(abandoned.LeaseOwner);
        Assert.Null(abandoned.LeaseExpiresAt);
        var failed = (await Jobs.ReadEventsAsync(doomed.Id, 0, 10))[^1];
        Assert.Equal(JobEventTypes.Failed, failed.Type);
        Assert.Equal(GatewayErrorCodes.JobAbandoned, failed.Data.GetProperty("errorCode").GetString());
        await AssertErrorAsync(GatewayErrorCodes.JobLeaseLost, () => Jobs.FinishAsync(retaken.Lease, JobOutcome.Completed()));
    }

    [Fact]
    public async Task TryClaim_ExpiredLeaseWithACancelOrPauseRequest_CancelsOrPausesItInsteadOfRunningIt()
    {
        var toCancel = await EnqueueAsync("ingestion");
        var toPause = await EnqueueAsync("ingestion");
        await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease);
        await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease);
        await Jobs.RequestCancelAsync(toCancel.Id);
        await Jobs.RequestPauseAsync(toPause.Id);
        _time.Advance(Lease * 2);

        Assert.Null(await Jobs.TryClaimAsync(["ingestion"], "worker-2", Lease));
        var cancelled = await Jobs.GetAsync(toCancel.Id);
        var paused = await Jobs.GetAsync(toPause.Id);

        Assert.Equal(JobState.Cancelled, cancelled!.State);
        Assert.Equal(_time.GetUtcNow(), cancelled.FinishedAt);
        Assert.Equal(JobState.Paused, paused!.State);
        Assert.Null(paused.FinishedAt);
        Assert.All(new[] { cancelled, paused }, job => Assert.False(job.CancelRequested || job.PauseRequested || job.LeaseOwner is not null));
    }

    [Fact]
    public async Task StaleLease_AfterTakeover_CannotHeartbeatCheckpointOrFinish_AndChangesNothing()
    {
        var queued = await EnqueueAsync("ingestion");
        var stale = (await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease))!;
        _time.Advance(Lease * 2);
        var current = (await Jobs.TryClaimAsync(["ingestion"], "worker-2", Lease))!;
        var before = (await Jobs.GetAsync(queued.Id))!;
        var eventsBefore = (await Jobs.ReadEventsAsync(queued.Id, 0, 50)).Count;

        Assert.Equal(JobSignal.LeaseLost, await Jobs.HeartbeatAsync(stale.Lease, JsonElement.Parse("""{"step":9}"""), Lease));
        Assert.Equal(JobSignal.LeaseLost, await Jobs.HeartbeatAsync(stale.Lease, null, Lease));
        await AssertErrorAsync(GatewayErrorCodes.JobLeaseLost, () => Jobs.SaveCheckpointAsync(stale.Lease, JsonElement.Parse("{}")));
        var lost = await AssertErrorAsync(GatewayErrorCodes.JobLeaseLost, () => Jobs.FinishAsync(stale.Lease, JobOutcome.Completed()));
        await AssertErrorAsync(GatewayErrorCodes.JobLeaseLost, () => Jobs.FinishAsync(stale.Lease, JobOutcome.Failed(new JobError("x", "y"))));
        await AssertErrorAsync(GatewayErrorCodes.JobLeaseLost, () => Jobs.FinishAsync(stale.Lease, JobOutcome.Released));

        Assert.Equal(queued.Id, lost.Extensions["jobId"]);
        AssertSameJob(before, (await Jobs.GetAsync(queued.Id))!);
        Assert.Equal(eventsBefore, (await Jobs.ReadEventsAsync(queued.Id, 0, 50)).Count);
        Assert.Equal(JobSignal.Continue, await Jobs.HeartbeatAsync(current.Lease, null, Lease));
    }

    [Fact]
    public async Task Heartbeat_RenewsTheLease_SoTheJobIsNotTakenOver_AndStoresProgressWithAnEvent()
    {
        var queued = await EnqueueAsync("ingestion");
        var claim = (await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease))!;
        _time.Advance(Lease - TimeSpan.FromSeconds(1));
        var progress = JsonElement.Parse("""{"documentsDone":1,"documentsTotal":4}""");

        var signal = await Jobs.HeartbeatAsync(claim.Lease, progress, Lease);
        _time.Advance(TimeSpan.FromSeconds(2));
        var quiet = await Jobs.HeartbeatAsync(claim.Lease, null, TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMinutes(4));
        var job = await Jobs.GetAsync(queued.Id);

        Assert.Equal(JobSignal.Continue, signal);
        Assert.Equal(JobSignal.Continue, quiet);
        Assert.Null(await Jobs.TryClaimAsync(["ingestion"], "worker-2", Lease));
        Assert.True(JsonElement.DeepEquals(progress, job!.Progress!.Value));
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromMinutes(4) + TimeSpan.FromMinutes(5), job.LeaseExpiresAt);
        var events = await Jobs.ReadEventsAsync(queued.Id, 0, 10);
        Assert.Equal([JobEventTypes.Queued, JobEventTypes.Started, JobEventTypes.Progress], events.Select(e => e.Type));
        Assert.True(JsonElement.DeepEquals(progress, events[2].Data));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Jobs.HeartbeatAsync(claim.Lease, null, TimeSpan.Zero));
    }

    [Fact]
    public async Task Heartbeat_AfterCancelOrPauseRequests_SaysSoAndCancelWins()
    {
        await EnqueueAsync("ingestion");
        var claim = (await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease))!;

        await Jobs.RequestPauseAsync(claim.Job.Id);
        var paused = await Jobs.HeartbeatAsync(claim.Lease, null, Lease);
        await Jobs.RequestCancelAsync(claim.Job.Id);
        var cancelled = await Jobs.HeartbeatAsync(claim.Lease, null, Lease);

        Assert.Equal(JobSignal.PauseRequested, paused);
        Assert.Equal(JobSignal.CancelRequested, cancelled);
    }

    [Fact]
    public async Task Finish_EachOutcome_EndsTheLeaseInItsStateWithItsEvent()
    {
        var result = JsonElement.Parse("""{"chunks":12}""");
        var error = new JobError("extraction_failed", "b.pdf: the file is encrypted.");
        var outcomes = new (JobOutcome Outcome, JobState State, string Event)[]
        {
            (JobOutcome.Completed(result), JobState.Completed, JobEventTypes.Completed),
            (JobOutcome.Completed(), JobState.Completed, JobEventTypes.Completed),
            (JobOutcome.Failed(error), JobState.Failed, JobEventTypes.Failed),
            (JobOutcome.Cancelled, JobState.Cancelled, JobEventTypes.Cancelled),
            (JobOutcome.Paused, JobState.Paused, JobEventTypes.Paused),
            (JobOutcome.Released, JobState.Queued, JobEventTypes.Queued),
        };

        foreach (var (outcome, state, type) in outcomes)
        {
            var queued = await EnqueueAsync("outcome");
            var claim = (await Jobs.TryClaimAsync(["outcome"], "worker-1", Lease))!;
            await Jobs.RequestPauseAsync(queued.Id);
            _time.Advance(TimeSpan.FromSeconds(1));

            var finished = await Jobs.FinishAsync(claim.Lease, outcome);

            Assert.Equal(claim.Job.Id, finished.Id);
            Assert.Equal(state, finished.State);
            Assert.Equal(finished.IsFinished ? _time.GetUtcNow() : null, finished.FinishedAt);
            Assert.Equal(_time.GetUtcNow(), finished.UpdatedAt);
            Assert.Null(finished.LeaseOwner);
            Assert.Null(finished.LeaseExpiresAt);
            Assert.False(finished.CancelRequested || finished.PauseRequested);
            Assert.Equal(state == JobState.Queued ? 0 : 1, finished.Attempts);
            AssertSameJob(finished, (await Jobs.GetAsync(queued.Id))!);
            var last = (await Jobs.ReadEventsAsync(queued.Id, 0, 10))[^1];
            Assert.Equal(type, last.Type);
            await AssertErrorAsync(GatewayErrorCodes.JobLeaseLost, () => Jobs.FinishAsync(claim.Lease, JobOutcome.Completed()));
            if (state == JobState.Queued)
            {
                Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"reason":"released"}"""), last.Data));
                Assert.Equal(queued.Id, (await Jobs.TryClaimAsync(["outcome"], "worker-2", Lease))!.Job.Id);
                await Jobs.RequestCancelAsync(queued.Id);
            }
        }

        var all = (await Jobs.ListAsync(new JobQuery(Kind: "outcome"))).Items.Reverse().ToList();
        Assert.True(JsonElement.DeepEquals(result, all[0].Result!.Value));
        Assert.Null(all[1].Result);
        Assert.Equal(error, all[2].Error);
        var failed = (await Jobs.ReadEventsAsync(all[2].Id, 0, 10))[^1];
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"errorCode":"extraction_failed","detail":"b.pdf: the file is encrypted."}"""), failed.Data));
        Assert.True(JsonElement.DeepEquals(result, (await Jobs.ReadEventsAsync(all[0].Id, 0, 10))[^1].Data));
    }

    [Fact]
    public async Task RequestCancel_InEveryState_CancelsWaitingJobsAtOnceAsksRunningOnesAndRefusesFinishedOnes()
    {
        var queued = await EnqueueAsync("ingestion");
        var paused = await EnqueueAsync("ingestion");
        await Jobs.RequestPauseAsync(paused.Id);
        var running = await ClaimNewAsync();
        var finished = await FinishedJobsAsync();

        var cancelledQueued = await Jobs.RequestCancelAsync(queued.Id);
        var cancelledPaused = await Jobs.RequestCancelAsync(paused.Id);
        var asked = await Jobs.RequestCancelAsync(running.Job.Id);
        var askedAgain = await Jobs.RequestCancelAsync(running.Job.Id);

        Assert.All(new[] { cancelledQueued, cancelledPaused }, job =>
        {
            Assert.Equal(JobState.Cancelled, job.State);
            Assert.Equal(_time.GetUtcNow(), job.FinishedAt);
        });
        Assert.Equal(JobState.Running, asked.State);
        Assert.True(asked.CancelRequested);
        AssertSameJob(asked, askedAgain);
        Assert.Equal([JobEventTypes.Queued, JobEventTypes.Cancelled], (await Jobs.ReadEventsAsync(queued.Id, 0, 10)).Select(e => e.Type));
        Assert.Equal(
            [JobEventTypes.Queued, JobEventTypes.Started, JobEventTypes.CancelRequested],
            (await Jobs.ReadEventsAsync(running.Job.Id, 0, 10)).Select(e => e.Type));
        Assert.Equal(JobState.Cancelled, (await Jobs.FinishAsync(running.Lease, JobOutcome.Cancelled)).State);
        foreach (var job in finished.Append(cancelledQueued))
        {
            var conflict = await AssertErrorAsync(GatewayErrorCodes.JobStateConflict, () => Jobs.RequestCancelAsync(job.Id));
            Assert.Equal(JobRules.StateText((await Jobs.GetAsync(job.Id))!.State), conflict.Extensions["state"]);
        }

        await AssertErrorAsync(GatewayErrorCodes.JobNotFound, () => Jobs.RequestCancelAsync(SortableId.Create(_time)));
    }

    [Fact]
    public async Task RequestPause_InEveryState_PausesQueuedJobsAtOnceAsksRunningOnesKeepsPausedAndRefusesFinished()
    {
        var queued = await EnqueueAsync("ingestion");
        var running = await ClaimNewAsync();
        var finished = await FinishedJobsAsync();

        var paused = await Jobs.RequestPauseAsync(queued.Id);
        var pausedAgain = await Jobs.RequestPauseAsync(queued.Id);
        var asked = await Jobs.RequestPauseAsync(running.Job.Id);
        var askedAgain = await Jobs.RequestPauseAsync(running.Job.Id);

        Assert.Equal(JobState.Paused, paused.State);
        Assert.Null(paused.FinishedAt);
        AssertSameJob(paused, pausedAgain);
        Assert.Null(await Jobs.TryClaimAsync(["ingestion"], "worker-2", Lease));
        Assert.Equal(JobState.Running, asked.State);
        Assert.True(asked.PauseRequested);
        AssertSameJob(asked, askedAgain);
        Assert.Equal([JobEventTypes.Queued, JobEventTypes.Paused], (await Jobs.ReadEventsAsync(queued.Id, 0, 10)).Select(e => e.Type));
        Assert.Equal(JobEventTypes.PauseRequested, (await Jobs.ReadEventsAsync(running.Job.Id, 0, 10))[^1].Type);
        foreach (var job in finished)
        {
            var conflict = await AssertErrorAsync(GatewayErrorCodes.JobStateConflict, () => Jobs.RequestPauseAsync(job.Id));
            Assert.Equal(JobRules.StateText(job.State), conflict.Extensions["state"]);
        }

        await AssertErrorAsync(GatewayErrorCodes.JobNotFound, () => Jobs.RequestPauseAsync("not-an-id"));
    }

    [Fact]
    public async Task Resume_PausedJob_QueuesItWithItsCheckpointAndItsAttemptsBack_AndTheNextClaimStartsThere()
    {
        await EnqueueAsync("training");
        var claim = (await Jobs.TryClaimAsync(["training"], "worker-1", Lease))!;
        var checkpoint = JsonElement.Parse("""{"step":120,"path":"checkpoints/120"}""");
        await Jobs.SaveCheckpointAsync(claim.Lease, checkpoint);
        await Jobs.RequestPauseAsync(claim.Job.Id);
        Assert.Equal(JobSignal.PauseRequested, await Jobs.HeartbeatAsync(claim.Lease, null, Lease));
        await Jobs.FinishAsync(claim.Lease, JobOutcome.Paused);

        var resumed = await Jobs.ResumeAsync(claim.Job.Id);
        var again = await Jobs.ResumeAsync(claim.Job.Id);
        var next = await Jobs.TryClaimAsync(["training"], "worker-2", Lease);

        Assert.Equal(JobState.Queued, resumed.State);
        Assert.Equal(0, resumed.Attempts);
        Assert.True(JsonElement.DeepEquals(checkpoint, resumed.Checkpoint!.Value));
        AssertSameJob(resumed, again);
        Assert.Equal(1, next!.Job.Attempts);
        Assert.True(JsonElement.DeepEquals(checkpoint, next.Job.Checkpoint!.Value));
        Assert.Equal(
            [JobEventTypes.Queued, JobEventTypes.Started, JobEventTypes.Checkpoint, JobEventTypes.PauseRequested, JobEventTypes.Paused,
             JobEventTypes.Queued, JobEventTypes.Started],
            (await Jobs.ReadEventsAsync(claim.Job.Id, 0, 20)).Select(e => e.Type));
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"reason":"resumed"}"""), (await Jobs.ReadEventsAsync(claim.Job.Id, 5, 1))[0].Data));
    }

    [Fact]
    public async Task Resume_RunningJobAskedToPause_WithdrawsTheRequest_AndFinishedJobsAreRefused()
    {
        var running = await ClaimNewAsync();
        var finished = await FinishedJobsAsync();
        await Jobs.RequestPauseAsync(running.Job.Id);

        var withdrawn = await Jobs.ResumeAsync(running.Job.Id);
        var unchanged = await Jobs.ResumeAsync(running.Job.Id);

        Assert.Equal(JobState.Running, withdrawn.State);
        Assert.False(withdrawn.PauseRequested);
        AssertSameJob(withdrawn, unchanged);
        Assert.Equal(JobSignal.Continue, await Jobs.HeartbeatAsync(running.Lease, null, Lease));
        Assert.Equal(JobEventTypes.PauseWithdrawn, (await Jobs.ReadEventsAsync(running.Job.Id, 0, 10))[^1].Type);
        foreach (var job in finished)
        {
            await AssertErrorAsync(GatewayErrorCodes.JobStateConflict, () => Jobs.ResumeAsync(job.Id));
        }

        await AssertErrorAsync(GatewayErrorCodes.JobNotFound, () => Jobs.ResumeAsync(SortableId.Create(_time)));
    }

    [Fact]
    public async Task ReadEvents_FromASecondClient_InOrderWithoutGaps_PagedAfterTheLastSeen()
    {
        var queued = await EnqueueAsync("ingestion");
        var claim = (await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease))!;
        for (var i = 1; i <= 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Jobs.HeartbeatAsync(claim.Lease, JsonElement.Parse($$"""{"documentsDone":{{i}}}"""), Lease);
        }

        await Jobs.SaveCheckpointAsync(claim.Lease, JsonElement.Parse("""{"next":6}"""));
        await Jobs.FinishAsync(claim.Lease, JobOutcome.Completed());
        await using var second = await Store.OpenSecondClientAsync();
        var other = second.OpenJobStore(_time);

        var events = new List<JobEvent>();
        long after = 0;
        while (await other.ReadEventsAsync(queued.Id, after, 3) is { Count: > 0 } page)
        {
            events.AddRange(page);
            after = page[^1].Sequence;
        }

        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(
            [JobEventTypes.Queued, JobEventTypes.Started, .. Enumerable.Repeat(JobEventTypes.Progress, 5), JobEventTypes.Checkpoint, JobEventTypes.Completed],
            events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, 5), events.Skip(2).Take(5).Select(e => e.Data.GetProperty("documentsDone").GetInt32()));
        Assert.Equal(events.Select(e => e.At).Order(), events.Select(e => e.At));
        Assert.All(events, e => Assert.Equal(queued.Id, e.JobId));
        Assert.Empty(await other.ReadEventsAsync(queued.Id, 9, 10));
        Assert.Empty(await other.ReadEventsAsync(SortableId.Create(_time), 0, 10));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => other.ReadEventsAsync(queued.Id, -1, 10));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => other.ReadEventsAsync(queued.Id, 0, 0));
    }

    [Fact]
    public async Task TryClaim_TwoClientsRacing_ClaimEveryJobExactlyOnce()
    {
        const int JobCount = 40;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < JobCount; i++)
        {
            ids.Add((await EnqueueAsync("race")).Id);
        }

        await using var second = await Store.OpenSecondClientAsync();
        var clients = new[] { Jobs, second.OpenJobStore(_time) };
        var claimed = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var jobs = clients[worker % 2];
            while (await jobs.TryClaimAsync(["race"], $"worker-{worker}", Lease) is { } claim)
            {
                claimed.Add(claim.Job.Id);
                await jobs.FinishAsync(claim.Lease, JobOutcome.Completed());
            }
        })));

        Assert.Equal(JobCount, claimed.Count);
        Assert.True(ids.SetEquals(claimed), "every job is claimed, and none twice");
        var done = await ListAllAsync(cursor => Jobs.ListAsync(new JobQuery(Limit: 50, Cursor: cursor, Kind: "race")));
        Assert.All(done.Items, job => Assert.Equal((JobState.Completed, 1), (job.State, job.Attempts)));
    }

    [Fact]
    public async Task RunningJob_ItsWorkerGone_IsReclaimedByAnotherClientAfterTheLeaseAndFinished()
    {
        var queued = await EnqueueAsync("ingestion");
        await using (var crashed = await Store.OpenSecondClientAsync())
        {
            var lost = (await crashed.OpenJobStore(_time).TryClaimAsync(["ingestion"], "host-a", Lease))!;
            await crashed.OpenJobStore(_time).SaveCheckpointAsync(lost.Lease, JsonElement.Parse("""{"documentsDone":2}"""));
        }

        await using var restarted = await Store.OpenSecondClientAsync();
        var jobs = restarted.OpenJobStore(_time);
        Assert.Null(await jobs.TryClaimAsync(["ingestion"], "host-b", Lease));
        _time.Advance(Lease + TimeSpan.FromSeconds(1));

        var reclaimed = (await jobs.TryClaimAsync(["ingestion"], "host-b", Lease))!;
        var done = await jobs.FinishAsync(reclaimed.Lease, JobOutcome.Completed());

        Assert.Equal(queued.Id, reclaimed.Job.Id);
        Assert.Equal(2, reclaimed.Job.Attempts);
        Assert.Equal(2, reclaimed.Job.Checkpoint!.Value.GetProperty("documentsDone").GetInt32());
        Assert.Equal(JobState.Completed, done.State);
        AssertSameJob(done, (await Jobs.GetAsync(queued.Id))!);
    }

    [Fact]
    public async Task DeleteFinishedBefore_DeletesOnlyFinishedJobsOlderThanTheInstant_WithTheirEvents_OldestFirstInBatches()
    {
        var old = await FinishedJobsAsync();
        var cutoff = _time.GetUtcNow() + TimeSpan.FromMilliseconds(1);
        _time.Advance(TimeSpan.FromHours(1));
        var recent = await FinishedJobsAsync();
        var queued = await EnqueueAsync("waiting");
        var paused = await Jobs.RequestPauseAsync((await EnqueueAsync("waiting")).Id);
        var running = await ClaimNewAsync();
        _time.Advance(TimeSpan.FromDays(30));

        var first = await Jobs.DeleteFinishedBeforeAsync(cutoff, 2);
        var afterFirst = await Jobs.ListAsync(new JobQuery());
        var second = await Jobs.DeleteFinishedBeforeAsync(cutoff, 2);
        var third = await Jobs.DeleteFinishedBeforeAsync(cutoff, 2);
        var everything = await Jobs.DeleteFinishedBeforeAsync(_time.GetUtcNow(), JobRules.MaxDeleteBatch);

        Assert.Equal((2, 1, 0, 3), (first, second, third, everything));
        Assert.DoesNotContain(afterFirst.Items, job => job.Id == old[0].Id || job.Id == old[1].Id);
        Assert.Contains(afterFirst.Items, job => job.Id == old[2].Id);
        foreach (var job in old)
        {
            Assert.Null(await Jobs.GetAsync(job.Id));
            Assert.Empty(await Jobs.ReadEventsAsync(job.Id, 0, 100));
        }

        Assert.All(recent, job => Assert.Contains(afterFirst.Items, listed => listed.Id == job.Id));
        var left = (await Jobs.ListAsync(new JobQuery())).Items.Select(job => job.Id).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { queued.Id, paused.Id, running.Job.Id }.Order(StringComparer.Ordinal), left);
        Assert.NotEmpty(await Jobs.ReadEventsAsync(queued.Id, 0, 100));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(JobRules.MaxDeleteBatch + 1)]
    public async Task DeleteFinishedBefore_LimitOutOfRange_IsRefusedNamingIt(int limit)
    {
        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Jobs.DeleteFinishedBeforeAsync(_time.GetUtcNow(), limit));

        Assert.Equal("limit", error.Extensions["field"]);
    }

    // Queues a job a millisecond after the previous one, so ids (and claim order) follow the order of the calls.
    private async Task<Job> EnqueueAsync(string kind)
    {
        _time.Advance(TimeSpan.FromMilliseconds(1));
        return await Jobs.EnqueueAsync(new NewJob(kind, JsonElement.Parse("""{"n":1}""")));
    }

    private async Task<JobClaim> ClaimNewAsync()
    {
        await EnqueueAsync("claimed");
        return (await Jobs.TryClaimAsync(["claimed"], "worker-1", Lease))!;
    }

    // One completed, one failed and one cancelled job.
    private async Task<List<Job>> FinishedJobsAsync()
    {
        var finished = new List<Job>();
        foreach (var outcome in new[] { JobOutcome.Completed(), JobOutcome.Failed(new JobError("boom", "it broke")), JobOutcome.Cancelled })
        {
            await EnqueueAsync("finished");
            var claim = (await Jobs.TryClaimAsync(["finished"], "worker-1", Lease))!;
            finished.Add(await Jobs.FinishAsync(claim.Lease, outcome));
        }

        return finished;
    }

    /// <summary>Every field equal, the JSON values compared as JSON.</summary>
    protected static void AssertSameJob(Job expected, Job actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        Assert.True(JsonElement.DeepEquals(expected.Payload, actual.Payload), $"payload {expected.Payload} != {actual.Payload}");
        AssertSameJson(expected.Progress, actual.Progress, "progress");
        AssertSameJson(expected.Checkpoint, actual.Checkpoint, "checkpoint");
        AssertSameJson(expected.Result, actual.Result, "result");
        Assert.Equal(
            expected with { Payload = default, Progress = null, Checkpoint = null, Result = null },
            actual with { Payload = default, Progress = null, Checkpoint = null, Result = null });
    }

    private static void AssertSameJson(JsonElement? expected, JsonElement? actual, string what)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } left && actual is { } right)
        {
            Assert.True(JsonElement.DeepEquals(left, right), $"{what} {left} != {right}");
        }
    }
}
