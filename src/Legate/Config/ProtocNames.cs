namespace Legate.Config;

/// <summary>
/// The CLR name protoc's C# generator gives a message, from its full proto name alone, so a type URL can be
/// resolved without building any descriptor first. Packages are lower case and message names start with a
/// capital in every api/ proto (Envoy's style guide), which is what splits the package from the message.
/// </summary>
internal static class ProtocNames
{
    /// <summary>The well-known types live in Google.Protobuf's own assembly under their csharp_namespace.</summary>
    public const string WellKnownPackagePrefix = "google.protobuf.";

    private const string WellKnownNamespace = "Google.Protobuf.WellKnownTypes";

    /// <summary>descriptor.proto's messages: the same package, another csharp_namespace.</summary>
    public const string DescriptorNamespace = "Google.Protobuf.Reflection";

    /// <summary>
    /// <c>envoy.config.cluster.v3.Cluster.LbSubsetConfig</c> -> <c>Envoy.Config.Cluster.V3.Cluster+Types+LbSubsetConfig</c>
    /// (the form <see cref="System.Reflection.Assembly.GetType(string)"/> takes); null if the name has no message part.
    /// </summary>
    public static string? ClassName(string fullName)
    {
        foreach (var c in fullName)
        {
            // Anything else would be type-name syntax to Assembly.GetType (generics, arrays, assembly names).
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '.')
            {
                return null;
            }
        }
        var segments = fullName.Split('.');
        var first = 0;
        while (first < segments.Length && !(segments[first].Length > 0 && char.IsAsciiLetterUpper(segments[first][0])))
        {
            first++;
        }
        if (first == 0 || first == segments.Length)
        {
            return null;
        }
        var ns = fullName.StartsWith(WellKnownPackagePrefix, StringComparison.Ordinal) && first == 2
            ? WellKnownNamespace
            : PackageToNamespace(string.Join('.', segments, 0, first));
        return ns + "." + string.Join("+Types+", segments, first, segments.Length - first);
    }

    /// <summary>protoc's UnderscoresToCamelCase with the first letter capitalised and periods kept:
    /// <c>http_connection_manager.v3</c> -> <c>HttpConnectionManager.V3</c>.</summary>
    public static string PackageToNamespace(string package)
    {
        var result = new System.Text.StringBuilder(package.Length);
        var capitalizeNext = true;
        foreach (var c in package)
        {
            if (char.IsAsciiLetterLower(c))
            {
                result.Append(capitalizeNext ? char.ToUpperInvariant(c) : c);
                capitalizeNext = false;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                result.Append(c);
                capitalizeNext = false;
            }
            else if (char.IsAsciiDigit(c))
            {
                result.Append(c);
                capitalizeNext = true;
            }
            else
            {
                // '_' is dropped and '.' kept; both capitalise what follows.
                if (c == '.')
                {
                    result.Append(c);
                }
                capitalizeNext = true;
            }
        }
        return result.ToString();
    }
}
