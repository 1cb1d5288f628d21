namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>An upstream that reads each request and answers it only once <see cref="Release"/> was called (every later request at once).</summary>
internal sealed class HeldUpstream : IAsyncDisposable
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RawUpstream _upstream;
    private int _requests;
    private TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldUpstream()
    {
        _upstream = RawUpstream.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                Interlocked.Increment(ref _requests);
                _seen.TrySetResult();
                await _released.Task;
                await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
    }

    public int Port => _upstream.Port;

    public int Connections => _upstream.Connections;

    public int RequestsSeen => Volatile.Read(ref _requests);

    public void Release() => _released.TrySetResult();

    /// <summary>Waits until the upstream has read <paramref name="count"/> requests.</summary>
    public async Task Received(int count)
    {
        while (RequestsSeen < count)
        {
            var seen = _seen;
            if (RequestsSeen >= count)
            {
                break;
            }
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Interlocked.CompareExchange(ref _seen, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), seen);
        }
    }

    public void AssertNoFaults() => _upstream.AssertNoFaults();

    public ValueTask DisposeAsync()
    {
        Release();
        return _upstream.DisposeAsync();
    }
}
