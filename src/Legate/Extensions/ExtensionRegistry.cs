using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;

namespace Legate.Extensions;

/// <summary>
/// Every extension Legate knows, keyed by (category, name) and (category, type URL). The core looks
/// filters, loggers, cluster types and LB policies up here and never switches on a name.
/// </summary>
public sealed class ExtensionRegistry
{
    private readonly ConcurrentDictionary<(string Category, string Key), IExtensionFactory> _byName = new();
    private readonly ConcurrentDictionary<(string Category, string Key), IExtensionFactory> _byType = new();

    /// <summary>The registry with every built-in extension registered.</summary>
    public static ExtensionRegistry CreateDefault()
    {
        var registry = new ExtensionRegistry();
        BuiltinExtensions.RegisterAll(registry);
        return registry;
    }

    public void Register(IExtensionFactory factory)
    {
        _byName[(factory.Category, factory.Name)] = factory;
        _byType[(factory.Category, factory.ConfigTypeName)] = factory;
    }

    /// <summary>Finds a factory of type <typeparamref name="T"/> for a typed_config type URL (the part after the last '/').</summary>
    public T? FindByTypeUrl<T>(string category, string typeUrl) where T : class, IExtensionFactory
    {
        var typeName = Any.GetTypeName(typeUrl);
        return _byType.TryGetValue((category, typeName), out var f) ? f as T : null;
    }

    public T? FindByName<T>(string category, string name) where T : class, IExtensionFactory =>
        _byName.TryGetValue((category, name), out var f) ? f as T : null;

    public IEnumerable<IExtensionFactory> All => _byName.Values;
}
