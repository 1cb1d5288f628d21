using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Legate.Xds.Grpc;

/// <summary>
/// xxHash64 (seed 0) of UTF-8 text: what Envoy reports as a subscription's <c>version</c> gauge, so
/// dashboards comparing proxies see the same number. (Legate.Xds.VersionHash can delegate here.)
/// </summary>
internal static class XxHash64
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;
    private const ulong Prime4 = 0x85EBCA77C2B2AE63UL;
    private const ulong Prime5 = 0x27D4EB2F165667C5UL;

    public static ulong Of(string versionInfo) => Hash(Encoding.UTF8.GetBytes(versionInfo));

    public static ulong Hash(ReadOnlySpan<byte> data)
    {
        var length = (ulong)data.Length;
        ulong hash;
        if (data.Length >= 32)
        {
            var v1 = unchecked(Prime1 + Prime2);
            var v2 = Prime2;
            var v3 = 0UL;
            var v4 = unchecked(0UL - Prime1);
            while (data.Length >= 32)
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt64LittleEndian(data));
                v2 = Round(v2, BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt64LittleEndian(data[16..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt64LittleEndian(data[24..]));
                data = data[32..];
            }
            hash = unchecked(BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7)
                + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18));
            hash = Merge(hash, v1);
            hash = Merge(hash, v2);
            hash = Merge(hash, v3);
            hash = Merge(hash, v4);
        }
        else
        {
            hash = Prime5;
        }
        unchecked
        {
            hash += length;
            while (data.Length >= 8)
            {
                hash ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(data));
                hash = (BitOperations.RotateLeft(hash, 27) * Prime1) + Prime4;
                data = data[8..];
            }
            if (data.Length >= 4)
            {
                hash ^= BinaryPrimitives.ReadUInt32LittleEndian(data) * Prime1;
                hash = (BitOperations.RotateLeft(hash, 23) * Prime2) + Prime3;
                data = data[4..];
            }
            foreach (var b in data)
            {
                hash ^= b * Prime5;
                hash = BitOperations.RotateLeft(hash, 11) * Prime1;
            }
            hash ^= hash >> 33;
            hash *= Prime2;
            hash ^= hash >> 29;
            hash *= Prime3;
            hash ^= hash >> 32;
        }
        return hash;
    }

    private static ulong Round(ulong accumulator, ulong input)
    {
        unchecked
        {
            accumulator += input * Prime2;
            accumulator = BitOperations.RotateLeft(accumulator, 31);
            return accumulator * Prime1;
        }
    }

    private static ulong Merge(ulong hash, ulong value)
    {
        unchecked
        {
            hash ^= Round(0, value);
            return (hash * Prime1) + Prime4;
        }
    }
}
