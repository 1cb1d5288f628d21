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
        Span<byte> bytes = stackalloc byte[16];
        random.AsSpan(t_offset, 16).CopyTo(bytes);
        t_offset += 16;
        // RFC 4122 version 4 (random) and variant 10xx bits.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
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
