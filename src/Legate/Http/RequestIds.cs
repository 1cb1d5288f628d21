using System.Security.Cryptography;

namespace Legate.Http;

/// <summary>
/// x-request-id values: random (version 4) UUIDs, as Envoy generates them. The random bytes come from the
/// OS's CSPRNG a few kilobytes at a time into a per-thread buffer, so a request does not cost a
/// getrandom system call the way Guid.NewGuid does.
/// </summary>
internal static class RequestIds
{
    private const int BufferSize = 4096;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_offset;

    public static string Next()
    {
        var random = t_random ??= new byte[BufferSize];
        if (t_offset == 0 || t_offset + 16 > BufferSize)
        {
            RandomNumberGenerator.Fill(random);
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
}
