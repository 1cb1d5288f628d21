using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Legate.Config;

/// <summary>
/// The messages of our api/ protos (plus the well-known types), for resolving <c>@type</c> in Any when
/// parsing JSON and when printing config dumps.
/// </summary>
/// <remarks>
/// Building a message's descriptor builds its whole .proto file and every file it imports, and Google.Protobuf
/// creates reflection accessors for each field as it goes: about 26 MiB for the Bootstrap graph, 9 MiB more for
/// the rest of api/. So names are resolved one at a time (<see cref="FindMessage"/> goes from the proto name
/// to the generated class by protoc's naming rules, touching only that class's file), and
/// <see cref="ResolvedRegistry"/> holds only what has been resolved so far. <see cref="Registry"/>, every
/// api message, is for tests and tools.
/// </remarks>
public static class ApiTypes
{
    /// <summary>Why looking generated classes up by name survives trimming and native AOT.</summary>
    internal const string TrimmerRoots = "Legate.Api and Google.Protobuf are whole-assembly trimmer roots wherever Legate is trimmed "
        + "(Legate.Cli.csproj; an embedding app that trims must root them too), so every generated class and its static "
        + "Descriptor and Parser properties are kept.";

    private static readonly Lazy<(TypeRegistry Registry, IReadOnlyList<FileDescriptor> Files)> s_all = new(BuildAll);
    private static readonly Assembly s_apiAssembly = typeof(Envoy.Type.V3.Percent).Assembly;
    private static readonly Assembly s_protobufAssembly = typeof(Any).Assembly;
    private static readonly ConcurrentDictionary<string, MessageDescriptor?> s_byName = new(StringComparer.Ordinal);
    private static readonly Lock s_registryLock = new();
    private static readonly HashSet<string> s_resolvedFiles = new(StringComparer.Ordinal);
    private static readonly List<FileDescriptor> s_resolvedFileList = new();
    private static volatile TypeRegistry s_resolved = TypeRegistry.FromMessages(StringValue.Descriptor);

    /// <summary>Every api message and well-known type. Builds every descriptor: not for the proxy's own paths.</summary>
    public static TypeRegistry Registry => s_all.Value.Registry;

    public static IReadOnlyList<FileDescriptor> Files => s_all.Value.Files;

    /// <summary>
    /// Every message whose file has been built through <see cref="FindMessage"/> or <see cref="Include"/>
    /// (with the files they import), plus google.protobuf.StringValue. Replaced, never mutated, when it grows.
    /// </summary>
    public static TypeRegistry ResolvedRegistry => s_resolved;

    /// <summary>The descriptor of an api message by full proto name (e.g. <c>envoy.config.cluster.v3.Cluster</c>),
    /// or null when no generated class has that name. Adds it to <see cref="ResolvedRegistry"/>.</summary>
    public static MessageDescriptor? FindMessage(string fullName)
    {
        if (s_byName.TryGetValue(fullName, out var known))
        {
            return known;
        }
        var descriptor = Resolve(fullName);
        if (descriptor is not null)
        {
            Include(descriptor);
        }
        s_byName[fullName] = descriptor;
        return descriptor;
    }

    /// <summary>Makes <see cref="ResolvedRegistry"/> cover <paramref name="descriptor"/>'s file.</summary>
    public static void Include(MessageDescriptor descriptor)
    {
        lock (s_registryLock)
        {
            if (!s_resolvedFiles.Add(descriptor.File.Name))
            {
                return;
            }
            s_resolvedFileList.Add(descriptor.File);
            // FromFiles adds each file's imports too; the string wrapper carries unresolved Anys.
            var files = new List<FileDescriptor>(s_resolvedFileList) { StringValue.Descriptor.File };
            s_resolved = TypeRegistry.FromFiles(files);
        }
    }

    /// <summary>The generated class protoc's naming rules give <paramref name="fullName"/>, if there is one.
    /// Touches no descriptor; callers must check that the class really is that message.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimmerRoots)]
    [UnconditionalSuppressMessage("Trimming", "IL2073", Justification = TrimmerRoots)]
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    internal static System.Type? FindClrType(string fullName)
    {
        var clrName = ProtocNames.ClassName(fullName);
        if (clrName is null)
        {
            return null;
        }
        return !fullName.StartsWith(ProtocNames.WellKnownPackagePrefix, StringComparison.Ordinal)
            ? s_apiAssembly.GetType(clrName)
            : s_protobufAssembly.GetType(clrName)
                ?? s_protobufAssembly.GetType(ProtocNames.DescriptorNamespace + clrName[clrName.LastIndexOf('.')..]);
    }

    private static MessageDescriptor? Resolve(string fullName)
    {
        var type = FindClrType(fullName);
        var descriptor = type?.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageDescriptor;
        // The naming rules are protoc's, but a wrong guess must not hand back another message.
        return descriptor?.FullName == fullName ? descriptor : null;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimmerRoots)]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = TrimmerRoots)]
    [UnconditionalSuppressMessage("Trimming", "IL2065", Justification = TrimmerRoots)]
    private static (TypeRegistry, IReadOnlyList<FileDescriptor>) BuildAll()
    {
        var files = new List<FileDescriptor>();
        foreach (var assembly in new[] { s_apiAssembly, s_protobufAssembly })
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
