using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IJobStore"/> must do with the files staged with a job: they are stored with the
/// job, all or none, read back byte for byte from another client, kept while the job waits, runs, pauses
/// or is handed back, and gone once it is completed, failed, cancelled or abandoned.
/// </summary>
public abstract class JobAttachmentConformanceTests : StoreConformanceTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private IJobStore? _jobs;

    private IJobStore Jobs => _jobs ??= Store.OpenJobStore(_time);

    [Fact]
    public async Task Enqueue_WithAttachments_EachReadsBackWholeFromAnotherClient()
    {
        var everyByte = Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 31 % 256)).ToArray();
        var slice = new ReadOnlyMemory<byte>([9, 1, 2, 3, 9], 1, 3);

        var queued = await EnqueueAsync(new JobAttachment("0", everyByte), new JobAttachment("empty", ReadOnlyMemory<byte>.Empty), new JobAttachment("r\u00e9sum\u00e9.pdf", slice));
        await using var second = await Store.OpenSecondClientAsync();
        var other = second.OpenJobStore(_time);

        Assert.Equal(everyByte, await ReadAsync(other, queued.Id, "0"));
        Assert.Empty((await ReadAsync(other, queued.Id, "empty"))!);
        Assert.Equal([1, 2, 3], await ReadAsync(other, queued.Id, "r\u00e9sum\u00e9.pdf"));
        Assert.Null(await ReadAsync(other, queued.Id, "R\u00e9sum\u00e9.pdf"));
        Assert.Null(await ReadAsync(other, queued.Id, "1"));
        Assert.Null(await ReadAsync(other, SortableId.Create(_time), "0"));
    }

    [Fact]
    public async Task OpenAttachment_ReturnsAReadOnlyStream()
    {
        var queued = await EnqueueAsync(new JobAttachment("a.md", "# Title"u8.ToArray()));

        await using var stream = (await Jobs.OpenAttachmentAsync(queued.Id, "a.md"))!;

        Assert.True(stream.CanRead);
        Assert.False(stream.CanWrite);
        Assert.Equal(7, stream.Length);
    }

    /// <summary>Attachments that break one rule each, and the field the error must name.</summary>
    public static TheoryData<string, string> InvalidAttachments() => new()
    {
        { "blank name", "attachments[1].name" },
        { "long name", "attachments[0].name" },
        { "control character in name", "attachments[0].name" },
        { "same name twice", "attachments[2].name" },
    };

    [Theory]
    [MemberData(nameof(InvalidAttachments))]
    public async Task Enqueue_InvalidAttachment_ThrowsInvalidRequestNamingItAndWritesNothing(string rule, string field)
    {
        byte[] content = [1];
        JobAttachment[] attachments = rule switch
        {
            "blank name" => [new("a", content), new(" ", content)],
            "long name" => [new(new string('n', JobRules.MaxNameLength + 1), content)],
            "control character in name" => [new("a\u0001b", content)],
            _ => [new("a", content), new("b", content), new("a", content)],
        };

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => EnqueueAsync(attachments));

        Assert.Equal(field, error.Extensions["field"]);
        Assert.Empty((await Jobs.ListAsync(new JobQuery())).Items);
    }

    [Fact]
    public async Task Attachments_WhileTheJobRunsPausesOrIsReleased_AreKept()
    {
        var queued = await EnqueueAsync(new JobAttachment("0", new byte[] { 7 }));
        var claim = (await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease))!;
        await Jobs.SaveCheckpointAsync(claim.Lease, JsonElement.Parse("""{"done":[]}"""));
        var running = await ReadAsync(Jobs, queued.Id, "0");
        await Jobs.FinishAsync(claim.Lease, JobOutcome.Released);
        var released = await ReadAsync(Jobs, queued.Id, "0");
        var again = (await Jobs.TryClaimAsync(["ingestion"], "worker-2", Lease))!;
        await Jobs.FinishAsync(again.Lease, JobOutcome.Paused);
        var paused = await ReadAsync(Jobs, queued.Id, "0");
        await Jobs.ResumeAsync(queued.Id);

        Assert.All(new[] { running, released, paused, await ReadAsync(Jobs, queued.Id, "0") }, bytes => Assert.Equal([7], bytes));
    }

    /// <summary>Every way a job reaches a final state.</summary>
    public static TheoryData<string> Endings() => ["completed", "failed", "cancelled while running", "cancelled while queued", "abandoned"];

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task Attachments_WhenTheJobIsFinished_AreDeletedWithThatChange(string ending)
    {
        var finished = await EnqueueAsync(new JobAttachment("0", new byte[] { 1 }), new JobAttachment("1", new byte[] { 2 }));
        var bystander = await EnqueueAsync(new JobAttachment("0", new byte[] { 3 }));
        await Jobs.RequestPauseAsync(bystander.Id);
        var claim = ending == "cancelled while queued" ? null : await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease);

        var job = ending switch
        {
            "completed" => await Jobs.FinishAsync(claim!.Lease, JobOutcome.Completed()),
            "failed" => await Jobs.FinishAsync(claim!.Lease, JobOutcome.Failed(new JobError("boom", "it broke"))),
            "cancelled while running" => await CancelRunningAsync(claim!),
            "cancelled while queued" => await Jobs.RequestCancelAsync(finished.Id),
            _ => await AbandonAsync(finished.Id),
        };

        Assert.True(job.IsFinished, $"{ending}: {job.State}");
        Assert.Null(await ReadAsync(Jobs, finished.Id, "0"));
        Assert.Null(await ReadAsync(Jobs, finished.Id, "1"));
        Assert.Equal([3], await ReadAsync(Jobs, bystander.Id, "0"));
    }

    private async Task<Job> CancelRunningAsync(JobClaim claim)
    {
        await Jobs.RequestCancelAsync(claim.Job.Id);
        return await Jobs.FinishAsync(claim.Lease, JobOutcome.Cancelled);
    }

    // Lets every lease of the job expire with its attempts used up, so the next claim fails it job_abandoned.
    private async Task<Job> AbandonAsync(string jobId)
    {
        for (var attempt = 1; attempt < JobRules.DefaultMaxAttempts; attempt++)
        {
            _time.Advance(Lease * 2);
            await Jobs.TryClaimAsync(["ingestion"], "worker-1", Lease);
        }

        _time.Advance(Lease * 2);
        Assert.Null(await Jobs.TryClaimAsync(["ingestion"], "worker-2", Lease));
        var job = (await Jobs.GetAsync(jobId))!;
        Assert.Equal(GatewayErrorCodes.JobAbandoned, job.Error?.ErrorCode);
        return job;
    }

    private async Task<Job> EnqueueAsync(params JobAttachment[] attachments)
    {
        _time.Advance(TimeSpan.FromMilliseconds(1));
        return await Jobs.EnqueueAsync(new NewJob("ingestion", JsonElement.Parse("{}")) { Attachments = attachments });
    }

    private static async Task<byte[]?> ReadAsync(IJobStore jobs, string jobId, string name)
    {
        await using var stream = await jobs.OpenAttachmentAsync(jobId, name);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
