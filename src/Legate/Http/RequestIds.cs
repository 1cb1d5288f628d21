using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Legate.Http;

/// <summary>
/// x-request-id values: random (version 4) UUIDs, as Envoy generates them. The random bytes come from the
/// kernel's CSPRNG (<c>/dev/urandom</c>) a few kilobytes at a time into a per-thread buffer, so a request
/// does not cost a system call the way Guid.NewGuid does.
/// </summary>
/// <remarks>
/// Not RandomNumberGenerator: on Linux that is OpenSSL's RAND_bytes, and loading libcrypto and
/// System.Security.Cryptography for it alone added ~5 MiB to the proxy's resident memory. It remains the
/// fallback where there is no <c>/dev/urandom</c>.
/// </remarks>
internal static class RequestIds
{
    private const int BufferSize = 4096;

    private static readonly Lock s_sourceLock = new();
    private static readonly FileStream? s_urandom = OpenUrandom();

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_offset;

    public static string Next()
    {
        var random = t_random ??= new byte[BufferSize];
        if (t_offset == 0 || t_offset + 16 > BufferSize)
        {
            Fill(random);
            t_offset = 0;
        }
        var high = BinaryPrimitives.ReadUInt64BigEndian(random.AsSpan(t_offset, 8));
        var low = BinaryPrimitives.ReadUInt64BigEndian(random.AsSpan(t_offset + 8, 8));
        t_offset += 16;
        // RFC 4122 version 4 (random) and variant 10xx bits.
        high = (high & 0xFFFF_FFFF_FFFF_0FFFUL) | 0x0000_0000_0000_4000UL;
        low = (low & 0x3FFF_FFFF_FFFF_FFFFUL) | 0x8000_0000_0000_0000UL;
        // Written straight into the string: Guid's own formatting was a measurable share of a proxied request.
        return string.Create(36, (high, low), static (text, value) =>
        {
            WriteHex(text[..8], value.high >> 32, 8);
            text[8] = '-';
            WriteHex(text.Slice(9, 4), value.high >> 16, 4);
            text[13] = '-';
            WriteHex(text.Slice(14, 4), value.high, 4);
            text[18] = '-';
            WriteHex(text.Slice(19, 4), value.low >> 48, 4);
            text[23] = '-';
            WriteHex(text.Slice(24, 12), value.low, 12);
        });
    }

    /// <summary>The low <paramref name="digits"/> hex digits of <paramref name="value"/>, lower case, most significant first.</summary>
    private static void WriteHex(Span<char> destination, ulong value, int digits)
    {
        for (var i = digits - 1; i >= 0; i--)
        {
            destination[i] = "0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    private static void Fill(byte[] buffer)
    {
        if (s_urandom is null)
        {
            RandomNumberGenerator.Fill(buffer);
            return;
        }
        lock (s_sourceLock)
        {
            s_urandom.ReadExactly(buffer);
        }
    }

    private static FileStream? OpenUrandom()
    {
        try
        {
            // Unbuffered: each refill is one read(2) straight into the caller's buffer.
            return new FileStream("/dev/urandom", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or PlatformNotSupportedException)
        {
            return null;
        }
    }
}
