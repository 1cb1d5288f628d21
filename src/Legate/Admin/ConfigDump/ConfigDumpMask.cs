using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;

namespace Legate.Admin.ConfigDump;

/// <summary>
/// ?mask= for /config_dump: a FieldMask trimmed onto a dump, or onto a resource element whose single
/// Any field (cluster, listener, route_config...) gets the part of each path after its first segment.
/// </summary>
internal static class ConfigDumpMask
{
    public static IReadOnlyList<string> Parse(string mask)
    {
        var paths = new List<string>();
        foreach (var p in mask.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            paths.Add(p);
        }
        return paths;
    }

    /// <summary>Trims <paramref name="message"/> to the paths; null when a path does not exist in its type.</summary>
    public static IMessage? Trim(IMessage message, IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            if (!FieldMask.IsValid(message.Descriptor, path))
            {
                return null;
            }
        }
        var mask = new FieldMask();
        mask.Paths.AddRange(paths);
        var trimmed = message.Descriptor.Parser.ParseFrom(ByteString.Empty);
        mask.Merge(message, trimmed);
        return trimmed;
    }

    /// <summary>Envoy's trimResourceMessage: paths into the element's Any are applied to the unpacked resource.</summary>
    public static IMessage? TrimResource(IMessage element, IReadOnlyList<string> paths)
    {
        var outer = new List<string>();
        var inner = new List<string>();
        FieldDescriptor? anyField = null;
        foreach (var path in paths)
        {
            var dot = path.IndexOf('.');
            var first = dot < 0 ? path : path[..dot];
            var field = element.Descriptor.FindFieldByName(first);
            if (field is { FieldType: FieldType.Message, IsRepeated: false } && field.MessageType.FullName == Any.Descriptor.FullName)
            {
                anyField ??= field;
                if (!outer.Contains(first))
                {
                    outer.Add(first);
                }
                if (dot >= 0)
                {
                    inner.Add(path[(dot + 1)..]);
                }
            }
            else
            {
                outer.Add(path);
            }
        }
        var copy = element.Descriptor.Parser.ParseFrom(element.ToByteString());
        if (anyField is not null && inner.Count > 0 && anyField.Accessor.GetValue(copy) is Any any)
        {
            var descriptor = ApiTypes.FindMessage(Any.GetTypeName(any.TypeUrl));
            if (descriptor is null)
            {
                return null;
            }
            var resource = Trim(descriptor.Parser.ParseFrom(any.Value), inner);
            if (resource is null)
            {
                return null;
            }
            anyField.Accessor.SetValue(copy, Any.Pack(resource));
        }
        return Trim(copy, outer);
    }
}
