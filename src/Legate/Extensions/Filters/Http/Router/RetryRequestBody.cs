using System.Buffers;
using Legate.Http;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// Stands in for the downstream request body while retries are possible: the bytes read for the first
/// attempt stream through unchanged and are kept (up to the buffer limit) so a retry can send them
/// again, then continue with whatever the downstream has not sent yet. Past the limit the copy is
/// dropped and the request can no longer be retried, as Envoy abandons retries past its buffer limit.
/// </summary>
internal sealed class RetryRequestBody : RequestBodyStream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private byte[]? _buffer;
    private int _length;
    private int _position;
    private bool _overflowed;

    public RetryRequestBody(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    /// <summary>The downstream body this stream replaces (restored when the router is done).</summary>
    public Stream Inner => _inner;

    /// <summary>False once the body outgrew the buffer limit.</summary>
    public bool CanReplay => !_overflowed;

    /// <summary>Bytes kept for replay.</summary>
    public int Buffered => _length;

    /// <summary>Starts the next attempt from the first byte; false when the body can no longer be replayed.</summary>
    public bool Rewind()
    {
        if (_overflowed)
        {
            return false;
        }
        _position = 0;
        return true;
    }

    /// <summary>Gives up on replaying (the body is known to be larger than the buffer limit).</summary>
    public void DisableReplay()
    {
        _overflowed = true;
        ReturnBuffer();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _length)
        {
            var n = Math.Min(buffer.Length, _length - _position);
            _buffer.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return n;
        }
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        Keep(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position < _length)
        {
            var n = Math.Min(buffer.Length, _length - _position);
            _buffer.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
        var read = _inner.Read(buffer);
        Keep(buffer[..read]);
        return read;
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (_overflowed || data.IsEmpty)
        {
            return;
        }
        if (_length + (long)data.Length > _limit)
        {
            _overflowed = true;
            ReturnBuffer();
            return;
        }
        if (_buffer is null || _buffer.Length < _length + data.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(_limit, Math.Max(4096L, (_length + data.Length) * 2L)));
            _buffer?.AsSpan(0, _length).CopyTo(grown);
            ReturnBuffer();
            _buffer = grown;
        }
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
        _position = _length;
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
        if (_overflowed)
        {
            _length = 0;
            _position = 0;
        }
    }

    protected override void Dispose(bool disposing)
    {
        // The inner body belongs to the server; only the copy is ours.
        _overflowed = true;
        ReturnBuffer();
        base.Dispose(disposing);
    }
}
