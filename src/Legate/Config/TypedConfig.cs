using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Legate.Config;

/// <summary>Unpacks a typed_config Any into the message a factory expects, with field-path errors.</summary>
public static class TypedConfig
{
    public static IMessage Unpack(Any any, MessageDescriptor expected, string path)
    {
        var typeName = Any.GetTypeName(any.TypeUrl);
        if (typeName != expected.FullName)
        {
            throw new ConfigException(path, "expected type " + expected.FullName + ", got \"" + any.TypeUrl + "\"");
        }
        try
        {
            return expected.Parser.ParseFrom(any.Value);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ConfigException(path, "malformed " + expected.FullName + ": " + ex.Message, ex);
        }
    }
}
