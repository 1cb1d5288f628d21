using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// Binds IP endpoints with a <see cref="SchedulingConnectionListener"/>, anything else through the socket
/// transport, and gives <see cref="VirtualEndPoint"/>s a listener that never accepts, so Kestrel builds
/// their pipelines without opening sockets.
/// </summary>
internal sealed class VirtualTransportFactory(IConnectionListenerFactory inner, int ioQueueCount, bool httpOnly, ILoggerFactory loggerFactory)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => true;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) => endpoint switch
    {
        VirtualEndPoint => ValueTask.FromResult<IConnectionListener>(new IdleListener(endpoint)),
        IPEndPoint ip => ValueTask.FromResult<IConnectionListener>(SchedulingConnectionListener.Bind(ip, ioQueueCount, httpOnly, loggerFactory)),
        _ => inner.BindAsync(endpoint, cancellationToken),
    };

    private sealed class IdleListener(EndPoint endpoint) : IConnectionListener
    {
        private readonly TaskCompletionSource _unbound = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            await _unbound.Task.WaitAsync(cancellationToken);
            return null;
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            _unbound.TrySetResult();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _unbound.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
