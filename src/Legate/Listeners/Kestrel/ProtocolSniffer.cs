using System.Buffers;
using System.IO.Pipelines;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// Peeks at the first bytes of a cleartext connection to tell HTTP/2 prior knowledge (the 24-byte
/// client preface) from HTTP/1.x, without consuming anything (Kestrel alone cannot do this: its
/// Http1AndHttp2 endpoints without TLS speak only HTTP/1.1).
/// </summary>
internal static class ProtocolSniffer
{
    private static readonly byte[] s_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <returns>true for HTTP/2, false for HTTP/1 (or anything else), null when the peer closed first.</returns>
    public static async Task<bool?> IsHttp2Async(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var verdict = Inspect(buffer);
            if (verdict is not null || result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start, buffer.Start);
                return verdict ?? (buffer.Length == 0 ? null : false);
            }
            // Undecided: examined everything so the next read waits for more bytes.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool? Inspect(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, s_preface.Length);
        if (length == 0)
        {
            return null;
        }
        Span<byte> head = stackalloc byte[s_preface.Length];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(s_preface.AsSpan(0, length)))
        {
            return false;
        }
        return length == s_preface.Length ? true : null;
    }
}
