using System.Text;

namespace Legate.Formatting;

/// <summary>
/// A compiled Envoy substitution format string (<c>%REQ(:PATH)% %RESPONSE_CODE%</c>), used by access logs
/// and by header values in route configuration. Compiled once when the config is built.
/// </summary>
public interface ISubstitutionFormatter
{
    void Format(in FormatContext context, StringBuilder output);

    string Format(in FormatContext context);

    /// <summary>True when the format has no operators, so callers may cache the literal.</summary>
    bool IsLiteral { get; }
}
