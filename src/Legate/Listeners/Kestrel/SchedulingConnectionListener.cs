using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// A listener socket whose accepted connections get the I/O scheduling that suits their protocol, chosen
/// by peeking at the first bytes (nothing is consumed; the connection's own sniffing still decides the
/// codec). HTTP/1 connections run inline on the I/O thread when socket completions are inline too
/// (the CLI's default): a request then runs from the downstream read to the upstream write on one epoll
/// thread. HTTP/2 connections keep Kestrel's I/O queues: with many streams per connection, deferred
/// writes let several streams' frames leave in one send. Measured on the 2-core bench machine, each
/// choice is 15-25% better than the other for its protocol.
/// <para>
/// With socket completions on the thread pool (an embedding application's default, or the operator's
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c>) HTTP/1 takes the I/O queues as well: inline
/// there would only mean "on whichever pool thread took the completion", and the queues gave the shorter
/// tail at the same throughput (bench/README.md, "Throughput or tail").
/// </para>
/// <para>
/// A listener with a filter chain that is not HTTP (tcp_proxy) peeks at nothing: a protocol where the
/// server speaks first would wait out the peek. Its connections run inline when completions are.
/// </para>
/// </summary>
internal sealed class SchedulingConnectionListener : IConnectionListener
{
    private const int Backlog = 512;
    private static readonly bool s_inlineCompletions = SocketCompletions.AreInline();
    private static readonly TimeSpan s_peekTimeout = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly SocketConnectionContextFactory _inline;
    private readonly SocketConnectionContextFactory _queued;
    private readonly Channel<ConnectionContext> _ready = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly bool _peek;
    private readonly Task _acceptLoop;

    private SchedulingConnectionListener(Socket socket, int ioQueueCount, bool peek, ILoggerFactory loggerFactory)
    {
        _socket = socket;
        _peek = peek;
        _logger = loggerFactory.CreateLogger("conn_handler");
        var transportLogger = loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets");
        _inline = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { IOQueueCount = ioQueueCount, UnsafePreferInlineScheduling = true }, transportLogger);
        _queued = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { IOQueueCount = ioQueueCount }, transportLogger);
        EndPoint = socket.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    public EndPoint EndPoint { get; }

    /// <summary>Whether a connection runs inline on the I/O thread rather than on Kestrel's I/O queues.</summary>
    /// <param name="http2">The connection opened with the HTTP/2 preface.</param>
    /// <param name="inlineCompletions">The runtime completes socket operations on its epoll threads (read once from the environment, as the runtime does).</param>
    internal static bool RunsInline(bool http2, bool inlineCompletions) => !http2 && inlineCompletions;

    /// <param name="httpOnly">Every filter chain of the listener serves HTTP: the first bytes choose the scheduling.</param>
    public static SchedulingConnectionListener Bind(IPEndPoint endPoint, int ioQueueCount, bool httpOnly, ILoggerFactory loggerFactory)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            if (!OperatingSystem.IsWindows())
            {
                // As Kestrel and Envoy do: a restarted proxy can bind while old connections sit in TIME_WAIT.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }
            socket.Bind(endPoint);
            socket.Listen(Backlog);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(e.Message, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new SchedulingConnectionListener(socket, ioQueueCount, httpOnly, loggerFactory);
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _ready.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _stopping.Cancel();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (_ready.Reader.TryRead(out var pending))
        {
            await pending.DisposeAsync();
        }
        _inline.Dispose();
        _queued.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                Socket accepted;
                try
                {
                    accepted = await _socket.AcceptAsync(_stopping.Token);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
                {
                    // The peer gave up while queued in the backlog; keep accepting.
                    continue;
                }
                accepted.NoDelay = true;
                _ = HandOverAsync(accepted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Unbound.
        }
        finally
        {
            _ready.Writer.TryComplete();
        }
    }

    private async Task HandOverAsync(Socket socket)
    {
        var http2 = false;
        if (_peek)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(s_peekTimeout);
            var first = new byte[3];
            try
            {
                var read = await socket.ReceiveAsync(first, SocketFlags.Peek, timeout.Token);
                // "PRI" starts the HTTP/2 client preface; anything else (or nothing yet) is treated as HTTP/1.
                http2 = read == 3 && first.AsSpan().SequenceEqual("PRI"u8);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    socket.Dispose();
                    return;
                }
            }
        }
        var connection = (RunsInline(http2, s_inlineCompletions) ? _inline : _queued).Create(socket);
        if (!_ready.Writer.TryWrite(connection))
        {
            _logger.LogDebug("listener stopped while a connection was being accepted");
            await connection.DisposeAsync();
        }
    }
}
