using Google.Protobuf.Reflection;

namespace Legate.WireCompat.Tests;

/// <summary>Every message, enum and service of a descriptor set by full name (no leading dot), nested types included.</summary>
internal sealed class SchemaIndex
{
    public Dictionary<string, DescriptorProto> Messages { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EnumDescriptorProto> Enums { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ServiceDescriptorProto> Services { get; } = new(StringComparer.Ordinal);

    /// <summary>The .proto file that defines each name.</summary>
    public Dictionary<string, string> FileOf { get; } = new(StringComparer.Ordinal);

    /// <summary>Indexes the files of <paramref name="set"/> whose names are in <paramref name="onlyFiles"/> (all when null).</summary>
    public static SchemaIndex Of(FileDescriptorSet set, ICollection<string>? onlyFiles = null)
    {
        var index = new SchemaIndex();
        foreach (var file in set.File)
        {
            if (onlyFiles is not null && !onlyFiles.Contains(file.Name))
            {
                continue;
            }
            var prefix = file.Package.Length > 0 ? file.Package + "." : string.Empty;
            foreach (var message in file.MessageType)
            {
                index.AddMessage(file.Name, prefix, message);
            }
            foreach (var enumType in file.EnumType)
            {
                index.Add(index.Enums, file.Name, prefix + enumType.Name, enumType);
            }
            foreach (var service in file.Service)
            {
                index.Add(index.Services, file.Name, prefix + service.Name, service);
            }
        }
        return index;
    }

    private void AddMessage(string file, string prefix, DescriptorProto message)
    {
        var name = prefix + message.Name;
        Add(Messages, file, name, message);
        foreach (var nested in message.NestedType)
        {
            AddMessage(file, name + ".", nested);
        }
        foreach (var enumType in message.EnumType)
        {
            Add(Enums, file, name + "." + enumType.Name, enumType);
        }
    }

    private void Add<T>(Dictionary<string, T> into, string file, string name, T item)
    {
        into[name] = item;
        FileOf[name] = file;
    }
}
