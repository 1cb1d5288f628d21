using Google.Protobuf;

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

    /// <summary>The full proto name of the message its typed_config must hold
    /// (<c>envoy.extensions.filters.http.router.v3.Router</c>).</summary>
    /// <remarks>A name rather than the generated <c>Descriptor</c>: building that costs megabytes (see <c>ApiSchema</c>).</remarks>
    string ConfigTypeName { get; }

    /// <summary>The generated parser of that message (<c>Router.Parser</c>).</summary>
    MessageParser ConfigParser { get; }
}
