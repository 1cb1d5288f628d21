using System.Text;

namespace Legate.Config.Schema;

/// <summary>
/// Reads protobuf's wire format from a span: enough to walk a FileDescriptorSet without Google.Protobuf's
/// generated descriptor.proto classes (and the thousand methods they JIT).
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public WireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>The next field's number and wire type; false at the end of the data.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        if (_position >= _data.Length)
        {
            field = 0;
            wireType = 0;
            return false;
        }
        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                break;
            }
            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new InvalidDataException("truncated or overlong varint in a descriptor set");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = checked((int)ReadVarint());
        if (length > _data.Length - _position)
        {
            throw new InvalidDataException("truncated field in a descriptor set");
        }
        var value = _data.Slice(_position, length);
        _position += length;
        return value;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadLengthDelimited());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                return;
            case 1:
                _position += 8;
                return;
            case 2:
                ReadLengthDelimited();
                return;
            case 5:
                _position += 4;
                return;
            default:
                throw new InvalidDataException("unsupported wire type " + wireType + " in a descriptor set");
        }
    }
}
