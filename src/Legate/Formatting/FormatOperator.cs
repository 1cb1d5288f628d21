using System.Text;

namespace Legate.Formatting;

/// <summary>
/// One compiled piece of a substitution format string: a literal or a command operator
/// (<c>%RESPONSE_CODE%</c>). Stateless after compilation, so one instance serves all requests.
/// </summary>
internal abstract class FormatOperator
{
    /// <summary>True when the value is a number (JSON formats print it unquoted).</summary>
    public virtual bool IsNumber => false;

    /// <summary>
    /// Appends the value. Returns false, having appended nothing, when the value is missing; the caller
    /// then prints Envoy's <c>-</c>, an empty string or JSON <c>null</c>.
    /// </summary>
    public abstract bool TryAppend(in FormatContext context, StringBuilder output);
}
