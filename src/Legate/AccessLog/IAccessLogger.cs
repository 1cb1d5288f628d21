using Legate.Formatting;

namespace Legate.AccessLog;

/// <summary>One configured access log (its filter already applied inside): called once per finished stream.</summary>
public interface IAccessLogger
{
    void Log(in FormatContext context);
}
