using Google.Protobuf.Reflection;

namespace Legate.Extensions;

/// <summary>
/// An extension factory, found by its Envoy name (<c>envoy.filters.http.router</c>) or by the type URL
/// of its typed config. Each category (HTTP filter, network filter, access logger, ...) has its own
/// sub-interface that adds the method creating the runtime object.
/// </summary>
public interface IExtensionFactory
{
    /// <summary>Envoy's canonical extension name.</summary>
    string Name { get; }

    /// <summary>Envoy's category, e.g. <c>envoy.filters.http</c>.</summary>
    string Category { get; }

    /// <summary>The message its typed_config must hold.</summary>
    MessageDescriptor ConfigDescriptor { get; }
}
