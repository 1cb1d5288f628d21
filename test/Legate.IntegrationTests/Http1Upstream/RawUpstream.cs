using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>
/// A bare TCP upstream on 127.0.0.1:0 whose every accepted connection runs a test's script over a
/// <see cref="RawConnection"/>, so a test controls each byte (and each close) the proxy sees. Connections are
/// numbered from 1 in accept order; a script's failure is kept and rethrown by <see cref="AssertNoFaults"/>.
/// </summary>
internal sealed class RawUpstream : IAsyncDisposable
{
    /// <summary>Every socket operation of a script gives up after this long, so a broken proxy fails the test instead of hanging it.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly Func<RawConnection, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _running = [];
    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly Task _acceptLoop;
    private int _connections;

    private RawUpstream(Func<RawConnection, Task> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static RawUpstream Start(Func<RawConnection, Task> script) => new(script);

    /// <summary>Answers every request on every connection with <paramref name="response"/> until the proxy closes the connection.</summary>
    public static RawUpstream KeepAlive(string response) => Start(async connection =>
    {
        while (await connection.ReadRequestAsync() is not null)
        {
            await connection.SendAsync(response);
        }
    });

    public void AssertNoFaults()
    {
        if (!_faults.IsEmpty)
        {
            throw new AggregateException("the upstream script failed", _faults);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (InvalidOperationException) when (_stop.IsCancellationRequested)
            {
                // Disposed between two accepts: the listener was stopped before this one began.
                return;
            }
            var number = Interlocked.Increment(ref _connections);
            _running.Add(RunAsync(new RawConnection(socket, number, _stop.Token)));
        }
    }

    private async Task RunAsync(RawConnection connection)
    {
        using (connection)
        {
            try
            {
                await _script(connection);
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                _faults.Enqueue(e);
            }
            catch (Exception)
            {
                // Torn down by the test's end.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
