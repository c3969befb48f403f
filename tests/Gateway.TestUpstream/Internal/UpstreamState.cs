namespace Gateway.TestUpstream.Internal;

/// <summary>What the chat endpoints share: the behaviour they follow and what they have observed.</summary>
internal sealed class UpstreamState
{
    private readonly Lock _requestsLock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<RecordedRequest> _catalogRequests = [];
    private IReadOnlyList<UpstreamModel> _models = [new UpstreamModel("test-model")];
    private readonly TaskCompletionSource _firstCancelledStream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActiveBehavior _activeBehavior = new(new UpstreamBehavior());
    private int _cancelledStreams;

    public ActiveBehavior ActiveBehavior
    {
        get => Volatile.Read(ref _activeBehavior);
        set => Volatile.Write(ref _activeBehavior, value);
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requestsLock)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<UpstreamModel> Models
    {
        get => Volatile.Read(ref _models);
        set => Volatile.Write(ref _models, value);
    }

    public IReadOnlyList<RecordedRequest> CatalogRequests
    {
        get
        {
            lock (_requestsLock)
            {
                return [.. _catalogRequests];
            }
        }
    }

    public void RecordCatalogRequest(RecordedRequest request)
    {
        lock (_requestsLock)
        {
            _catalogRequests.Add(request);
        }
    }

    public int CancelledStreams => Volatile.Read(ref _cancelledStreams);

    public void Record(RecordedRequest request)
    {
        lock (_requestsLock)
        {
            _requests.Add(request);
        }
    }

    public void ClearRequests()
    {
        lock (_requestsLock)
        {
            _requests.Clear();
        }
    }

    public void RecordCancelledStream()
    {
        Interlocked.Increment(ref _cancelledStreams);
        _firstCancelledStream.TrySetResult();
    }

    public async Task<bool> WaitForCancelledStreamAsync(TimeSpan timeout)
    {
        try
        {
            await _firstCancelledStream.Task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
