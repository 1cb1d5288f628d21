using System.Reflection;
using Google.Protobuf.Reflection;

namespace Legate.Config;

/// <summary>
/// Every message of our api/ protos (plus the well-known types), for resolving <c>@type</c> in Any
/// when parsing JSON and when printing config dumps.
/// </summary>
public static class ApiTypes
{
    private static readonly Lazy<(TypeRegistry Registry, IReadOnlyList<FileDescriptor> Files)> s_all = new(Build);

    public static TypeRegistry Registry => s_all.Value.Registry;

    public static IReadOnlyList<FileDescriptor> Files => s_all.Value.Files;

    public static MessageDescriptor? FindMessage(string fullName) => Registry.Find(fullName);

    private static (TypeRegistry, IReadOnlyList<FileDescriptor>) Build()
    {
        var files = new List<FileDescriptor>();
        var assemblies = new[] { typeof(Envoy.Type.V3.Percent).Assembly, typeof(Google.Protobuf.WellKnownTypes.Any).Assembly };
        foreach (var assembly in assemblies)
        {
            foreach (var type in assembly.GetTypes())
            {
                // protoc emits one static "<File>Reflection" class per .proto with a Descriptor property.
                if (!type.IsAbstract || !type.IsSealed || !type.Name.EndsWith("Reflection", StringComparison.Ordinal))
                {
                    continue;
                }
                var prop = type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static);
                if (prop?.GetValue(null) is FileDescriptor fd)
                {
                    files.Add(fd);
                }
            }
        }
        return (TypeRegistry.FromFiles(files), files);
    }
}
