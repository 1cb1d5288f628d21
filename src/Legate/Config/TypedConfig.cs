using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Legate.Extensions;

namespace Legate.Config;

/// <summary>Unpacks a typed_config Any into the message a factory expects, with field-path errors.</summary>
public static class TypedConfig
{
    public static IMessage Unpack(Any any, IExtensionFactory factory, string path)
    {
        if (Any.GetTypeName(any.TypeUrl) != factory.ConfigTypeName)
        {
            throw new ConfigException(path, "expected type " + factory.ConfigTypeName + ", got \"" + any.TypeUrl + "\"");
        }
        try
        {
            return factory.ConfigParser.ParseFrom(any.Value);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ConfigException(path, "malformed " + factory.ConfigTypeName + ": " + ex.Message, ex);
        }
    }

    /// <summary>The factory's config message with every field at its default (no typed_config given).</summary>
    public static IMessage Empty(IExtensionFactory factory) => factory.ConfigParser.ParseFrom(ByteString.Empty);
}
